import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct FeedTests {
    @Test func aPublicFeedIsValidAtomWithStableEntryIDs() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice", displayName: "Alice & <Co>")
                try await client.createBlog("travels", token: alice, language: "fr-CA", title: "Voyages ]]> & <b>more</b>")
                let first = try await client.createPost(
                    "travels", token: alice, title: "Tom & Jerry <3 ]]>", content: "<p>Fish &amp; chips ]]&gt; ünïcödé</p>", tags: ["food & drink", "été"])
                try await client.createPost("travels", token: alice, title: "Second")
                let bob = try await client.newIdentity("bob")
                _ = try await client.send(.post, "/api/blogs/travels/posts/\(first["id"] ?? 0)/comments", token: bob, json: #"{"content":"hi"}"#)

                let response = try await client.send(.get, "/travels/feed.atom")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let feed = try parseAtomFeed(response.data)
                #expect(feed.title == "Voyages ]]> & <b>more</b>")
                #expect(feed.language == "fr-CA")
                #expect(feed.links["self"] == "\(siteURL)/travels/feed.atom")
                #expect(feed.links["alternate"] == "\(siteURL)/travels/")
                #expect(feed.links["prev-archive"] == nil)
                #expect(feed.entries.map(\.title) == ["Second", "Tom & Jerry <3 ]]>"])
                let entry = feed.entries[1]
                #expect(entry.id == first["entryId"] as? String)
                #expect(entry.content == "<p>Fish &amp; chips ]]&gt; ünïcödé</p>")
                #expect(entry.categories == ["food & drink", "été"])
                #expect(entry.commentTotal == 1)
                #expect(feed.entries[0].commentTotal == nil)
                #expect(entry.links["alternate"] == siteURL + (first["url"] as? String ?? ""))

                // The file on disk holds exactly the bytes served.
                let file = try Data(contentsOf: folder.appendingPathComponent("feeds/travels.atom"))
                #expect(file == response.data)

                // Editing title and content changes neither the entry id nor the link.
                _ = try await client.send(
                    .put, "/api/blogs/travels/posts/\(first["id"] ?? 0)", token: alice, json: #"{"title":"Renamed","content":"<p>new</p>"}"#)
                let edited = try parseAtomFeed(try await client.send(.get, "/travels/feed.atom").data)
                let renamed = try #require(edited.entries.first { $0.title == "Renamed" })
                #expect(renamed.id == entry.id)
                #expect(renamed.links["alternate"] == entry.links["alternate"])
                #expect(try Data(contentsOf: folder.appendingPathComponent("feeds/travels.atom")).count > 0)
            }
        }
    }

    @Test func conditionalRequestsGet304WithNoBody() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            try await client.createPost("travels", token: alice, title: "One")
            let first = try await client.send(.get, "/travels/feed.atom")
            let etag = try #require(first.headers[.eTag])
            let lastModified = try #require(first.headers[.lastModified])
            #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"))

            for headers: HTTPFields in [[.ifNoneMatch: etag], [.ifNoneMatch: "\"other\", \(etag)"], [.ifModifiedSince: lastModified], [.ifNoneMatch: "*"]] {
                let response = try await client.send(.get, "/travels/feed.atom", headers: headers)
                #expect(response.status == .notModified)
                #expect(response.text.isEmpty)
                #expect(response.headers[.eTag] == etag)
                #expect(response.headers[.cacheControl] == first.headers[.cacheControl])
                #expect(response.headers[.lastModified] == nil, "beside a strong ETag, Last-Modified updates nothing")
            }
            let stale = try await client.send(.get, "/travels/feed.atom", headers: [.ifNoneMatch: "\"stale\"", .ifModifiedSince: lastModified])
            #expect(stale.status == .ok, "If-None-Match wins over If-Modified-Since")
            let old = try await client.send(.get, "/travels/feed.atom", headers: [.ifModifiedSince: "Sat, 01 Jan 2000 00:00:00 GMT"])
            #expect(old.status == .ok)

            try await client.createPost("travels", token: alice, title: "Two")
            let changed = try await client.send(.get, "/travels/feed.atom", headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
            #expect(changed.headers[.eTag] != etag)
        }
    }

    @Test func archivesLeadANewSubscriberBackToTheFirstPost() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                try await client.createBlog("travels", token: alice)
                // 45 posts over four months.
                let start = try Date("2026-01-10T12:00:00Z", strategy: .iso8601)
                _ = try await writePosts(
                    (0..<45).map { ("Post \($0)", start.addingTimeInterval(Double($0) * 2.5 * 86_400)) }, in: "travels", by: "alice", data: folder)
                let latest = try await client.createPost("travels", token: alice, title: "Today")

                let subscription = try parseAtomFeed(try await client.send(.get, "/travels/feed.atom").data)
                #expect(subscription.entries.count == 20)
                #expect(subscription.entries.first?.id == latest["entryId"] as? String)
                #expect(!subscription.isArchive)
                var ids = Set(subscription.entries.map(\.id))
                var next = subscription.links["prev-archive"]
                var visited: [String] = []
                while let url = next {
                    let path = String(url.dropFirst(siteURL.count))
                    let response = try await client.send(.get, path)
                    #expect(response.status == .ok, "\(path)")
                    let archive = try parseAtomFeed(response.data)
                    #expect(archive.isArchive)
                    #expect(archive.links["current"] == "\(siteURL)/travels/feed.atom")
                    #expect(archive.links["self"] == url)
                    #expect(archive.links["next-archive"] == nil, "a later month closing would change the archive")
                    ids.formUnion(archive.entries.map(\.id))
                    visited.append(url)
                    next = archive.links["prev-archive"]
                }
                #expect(ids.count == 46)
                #expect(visited.last?.hasSuffix("/travels/feed/2026-01.atom") == true)
                #expect(try await client.send(.get, "/travels/feed/1999-01.atom").status == .notFound)
                #expect(try await client.send(.get, "/travels/feed/not-a-month.atom").status == .notFound)

                // An archive is served with validators too.
                let january = try await client.send(.get, "/travels/feed/2026-01.atom")
                let etag = try #require(january.headers[.eTag])
                #expect(try await client.send(.get, "/travels/feed/2026-01.atom", headers: [.ifNoneMatch: etag]).status == .notModified)
            }
        }
    }

    /// A month with more posts than one archive holds is archived in parts, newest first, each
    /// leading to the next and the last to the month before: any month is served in bounded
    /// memory, and a subscriber still walks back to the first post.
    @Test func aLargeMonthIsArchivedInParts() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                _ = try await client.newIdentity("alice")
                let alice = try await client.signIn("alice")
                try await client.createBlog("travels", token: alice)
                let may = try Date("2025-05-01T00:00:00Z", strategy: .iso8601)
                let april = try Date("2025-04-20T00:00:00Z", strategy: .iso8601)
                let posts = [("April", april)] + (0..<450).map { ("May \($0)", may.addingTimeInterval(Double($0) * 3_600)) }
                _ = try await writePosts(posts, in: "travels", by: "alice", data: folder)

                var next: String? = "\(siteURL)/travels/feed/2025-05.atom"
                var visited: [String] = []
                var titles: [String] = []
                while let url = next, visited.count < 10 {
                    let response = try await client.send(.get, String(url.dropFirst(siteURL.count)))
                    #expect(response.status == .ok, "\(url)")
                    let archive = try parseAtomFeed(response.data)
                    #expect(archive.entries.count <= 200)
                    #expect(archive.links["self"] == url)
                    titles += archive.entries.map(\.title)
                    visited.append(String(url.dropFirst(siteURL.count)))
                    next = archive.links["prev-archive"]
                }
                #expect(
                    visited == ["/travels/feed/2025-05.atom", "/travels/feed/2025-05-2.atom", "/travels/feed/2025-05-3.atom", "/travels/feed/2025-04.atom"])
                #expect(titles == (0..<450).reversed().map { "May \($0)" } + ["April"], "newest first, each post once")
                for missing in ["2025-05-4", "2025-05-1", "2025-05-02", "2025-05-", "2025-05-x"] {
                    #expect(try await client.send(.get, "/travels/feed/\(missing).atom").status == .notFound, "\(missing)")
                }
            }
        }
    }

    @Test func privateFeedsNeedCredentialsAndNeverReachTheDisk() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                let bob = try await client.newIdentity("bob")
                _ = try await client.newIdentity("mallory")
                try await client.connect("alice", token: alice, with: "bob", token: bob)
                try await client.createBlog("diary", token: alice, visibility: "private")
                try await client.createPost("diary", token: alice, title: "Secret")

                for path in ["/diary/feed.atom", "/no-such-blog/feed.atom", "/diary/feed/2026-11.atom"] {
                    let anonymous = try await client.send(.get, path)
                    #expect(anonymous.status == .unauthorized, "\(path)")
                    #expect(anonymous.headers[.wwwAuthenticate]?.contains("Basic realm=\"ferry\"") == true)
                    #expect(!anonymous.text.contains("Secret"))
                }
                let basic = { (user: String, password: String) -> HTTPFields in
                    [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
                }
                let asBob = try await client.send(.get, "/diary/feed.atom", headers: basic("bob", "correct horse"))
                #expect(asBob.status == .ok)
                #expect(try parseAtomFeed(asBob.data).entries.map(\.title) == ["Secret"])
                #expect(asBob.headers[.cacheControl] == "private, no-cache")
                #expect(try await client.send(.get, "/diary/feed.atom", token: alice).status == .ok)
                #expect(try await client.send(.get, "/diary/feed.atom", headers: basic("bob", "wrong password")).status == .unauthorized)
                #expect(try await client.send(.get, "/diary/feed.atom", headers: basic("mallory", "correct horse")).status == .notFound)
                #expect(try await client.send(.get, "/diary/feed.atom", token: "not-a-token").status == .unauthorized)

                let feeds = folder.appendingPathComponent("feeds")
                #expect(!FileManager.default.fileExists(atPath: feeds.appendingPathComponent("diary.atom").path))

                // A public blog turned private leaves the disk and the public at once.
                try await client.createBlog("travels", token: alice)
                try await client.createPost("travels", token: alice, title: "Public for now")
                #expect(try await client.send(.get, "/travels/feed.atom").status == .ok)
                #expect(FileManager.default.fileExists(atPath: feeds.appendingPathComponent("travels.atom").path))
                _ = try await client.send(.patch, "/api/blogs/travels", token: alice, json: #"{"visibility":"private"}"#)
                #expect(try await client.send(.get, "/travels/feed.atom").status == .unauthorized)
                #expect(!FileManager.default.fileExists(atPath: feeds.appendingPathComponent("travels.atom").path))
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: feeds.path)
                #expect(leftovers.isEmpty, "no temporary files are left behind: \(leftovers)")
            }
        }
    }

    @Test func hiddenFeedsAskNotToBeIndexed() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice, visibility: "hidden")
            try await client.createPost("notes", token: alice, title: "Quiet")
            let response = try await client.send(.get, "/notes/feed.atom")
            #expect(response.status == .ok)
            #expect(response.headers[.xRobotsTag] == "noindex")
            _ = try parseAtomFeed(response.data)
        }
    }

    @Test func theOwnersNewNameReachesTheFeed() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice")
            try await client.createBlog("travels", token: alice)
            _ = try await client.send(.get, "/travels/feed.atom")
            _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"displayName":"Alice Liddell"}"#)
            #expect(try await client.send(.get, "/travels/feed.atom").text.contains("<name>Alice Liddell</name>"))
        }
    }
}

extension HTTPField.Name {
    static let xRobotsTag = HTTPField.Name("X-Robots-Tag")!
}
