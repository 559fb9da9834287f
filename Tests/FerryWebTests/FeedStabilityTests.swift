import FerryCore
import FerryStore
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Feed readers show an entry again whenever its id changes: ids must not depend on where the
/// site is reached (RFC 4287 §4.2.6), and archives must not change while their month grows.
@Suite struct FeedStabilityTests {
    /// The `<id>`s of an Atom document, the document's own first.
    func ids(_ xml: String) -> [String] {
        xml.components(separatedBy: "<id>").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// What the first run saw, for the second to compare.
    actor Seen {
        var activities: [String] = []
        var stream: [String] = []
        func record(activities: [String], stream: [String]) {
            self.activities = activities
            self.stream = stream
        }
    }

    @Test func atomIDsStayWhenTheSiteMovesToANewAddress() async throws {
        try await withTemporaryDirectory { folder in
            let seen = Seen()
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                let bob = try await client.newIdentity("bob")
                try await client.connect("alice", token: alice, with: "bob", token: bob)
                try await client.createBlog("open", token: alice)
                try await client.link("open", token: alice)
                _ = try await client.createPost("open", token: alice, title: "Hello")
                await seen.record(
                    activities: ids(try await client.send(.get, "/people/alice/activity.atom").text),
                    stream: ids(try await client.send(.get, "/api/me/stream.atom", token: bob).text)
                )
            }
            let before = await seen.activities
            let streamBefore = await seen.stream
            #expect(before.count == 3 && streamBefore.count == 3)
            #expect(before.allSatisfy { $0.hasPrefix("tag:ferry.test,2026:") })
            try await withApp(data: folder, configure: { $0.baseURL = "https://blogs.new.example" }) { client in
                let bob = try await client.signIn("bob")
                let after = try await client.send(.get, "/people/alice/activity.atom").text
                #expect(ids(after) == before)
                #expect(after.contains("https://blogs.new.example/people/alice"), "links follow the new address; ids do not")
                #expect(ids(try await client.send(.get, "/api/me/stream.atom", token: bob).text) == streamBefore)
            }
        }
    }

    /// RFC 5005: the month still growing is no archive (its posts are all in the subscription
    /// document), and a closed month's archive changes only with its own posts.
    @Test func archivesChangeOnlyWithTheirOwnPosts() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                try await client.createBlog("travels", token: alice)
                let dates = ["2025-01-10T12:00:00Z", "2025-01-20T12:00:00Z", "2025-02-10T12:00:00Z"].compactMap { try? Date($0, strategy: .iso8601) }
                let written = try await writePosts(
                    zip(["January", "January too", "February"], dates).map { ($0, $1) }, in: "travels", by: "alice", data: folder)
                let ids = Dictionary(uniqueKeysWithValues: zip(["January", "January too", "February"], written))
                for number in 0..<24 { _ = try await client.createPost("travels", token: alice, title: "Now \(number)") }

                let subscription = try parseAtomFeed(try await client.send(.get, "/travels/feed.atom").data)
                #expect(subscription.entries.count == 24, "every post of the month still growing")
                #expect(subscription.links["prev-archive"] == "\(siteURL)/travels/feed/2025-02.atom")
                let thisMonth = PostMonth(containing: Date()).key
                #expect(try await client.send(.get, "/travels/feed/\(thisMonth).atom").status == .notFound)

                let january = try await client.send(.get, "/travels/feed/2025-01.atom")
                let etag = try #require(january.headers[.eTag])
                let lastModified = try #require(january.headers[.lastModified])
                #expect(lastModified == "Mon, 20 Jan 2025 12:00:00 GMT")

                // New posts and another month's edit: January's archive stays as it was.
                _ = try await client.createPost("travels", token: alice, title: "Later")
                let february = try #require(ids["February"])
                _ = try await client.send(
                    .put, "/api/blogs/travels/posts/\(february)", token: alice, json: #"{"title":"February, edited","content":"<p>x</p>","tags":[]}"#)
                let again = try await client.send(.get, "/travels/feed/2025-01.atom")
                #expect(again.headers[.eTag] == etag)
                #expect(again.headers[.lastModified] == lastModified)
                #expect(again.data == january.data)

                // An edit of one of its own posts changes it.
                let januaryPost = try #require(ids["January"])
                _ = try await client.send(
                    .put, "/api/blogs/travels/posts/\(januaryPost)", token: alice, json: #"{"title":"January, edited","content":"<p>y</p>","tags":[]}"#)
                let edited = try await client.send(.get, "/travels/feed/2025-01.atom")
                #expect(edited.headers[.eTag] != etag)
                #expect(edited.text.contains("January, edited"))
            }
        }
    }

    /// A crash between a blog turning private and its feed file going must not leave the file
    /// for a static server to serve: ferry removes such files when it starts.
    @Test func startingRemovesFeedFilesOfPrivateBlogs() async throws {
        try await withTemporaryDirectory { folder in
            let feeds = folder.appendingPathComponent("feeds")
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                try await client.createBlog("open", token: alice)
                try await client.createBlog("diary", token: alice, visibility: "private")
                _ = try await client.createPost("diary", token: alice, title: "Secret")
            }
            #expect(FileManager.default.fileExists(atPath: feeds.appendingPathComponent("open.atom").path))
            // What a crash at the wrong moment leaves behind.
            try Data("<feed>Secret</feed>".utf8).write(to: feeds.appendingPathComponent("diary.atom"))
            try await withApp(data: folder) { _ in
                #expect(!FileManager.default.fileExists(atPath: feeds.appendingPathComponent("diary.atom").path))
                #expect(FileManager.default.fileExists(atPath: feeds.appendingPathComponent("open.atom").path))
            }
        }
    }
}
