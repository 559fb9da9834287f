import FerryTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The stream's first page answers an unchanged poll with 304, and changes its validator with
/// every change the page shows, for its viewer only.
@Suite struct StreamValidatorTests {
    @Test func anUnchangedStreamIs304AndEveryChangeItShowsIsNot() async throws {
        try await withApp { client in
            for handle in ["alice", "bob", "carol"] { try await client.signUp(handle) }
            let alice = try await client.signIn("alice")
            let bob = try await client.signIn("bob")
            let carol = try await client.signIn("carol")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            try await client.createBlog("bobs", token: bob)
            try await client.link("bobs", token: bob)
            try await client.createBlog("carols", token: carol)
            try await client.link("carols", token: carol)
            let post = try await client.createPost("bobs", token: bob, title: "First")

            var tag = try await Self.tag(client, alice, previous: nil)
            #expect(tag.hasPrefix("W/\""))
            let unchanged = try await client.send(.get, "/api/me/stream", token: alice, headers: [.ifNoneMatch: tag])
            #expect(unchanged.status == .notModified)
            #expect(unchanged.body.readableBytes == 0)
            #expect(unchanged.headers[.eTag] == tag)
            // A stranger's post changes nothing alice sees; another viewer never shares her tag.
            try await client.createPost("carols", token: carol, title: "Not in alice's stream")
            #expect(try await client.send(.get, "/api/me/stream", token: alice, headers: [.ifNoneMatch: tag]).status == .notModified)
            #expect(try await client.send(.get, "/api/me/stream", token: carol, headers: [.ifNoneMatch: tag]).status == .ok)
            // Older pages have no validator.
            #expect(try await client.send(.get, "/api/me/stream?limit=5", token: alice, headers: [.ifNoneMatch: tag]).status == .ok)

            let id = try #require(post["id"] as? Int)
            let changes: [(String, () async throws -> Void)] = [
                ("a new post", { try await client.createPost("bobs", token: bob, title: "Second") }),
                (
                    "an edit",
                    { _ = try await client.send(.put, "/api/blogs/bobs/posts/\(id)", token: bob, json: #"{"title":"First, edited","content":"<p>x</p>"}"#) }
                ),
                ("a comment", { _ = try await client.send(.post, "/api/blogs/bobs/posts/\(id)/comments", token: carol, json: #"{"content":"<p>Hi</p>"}"#) }),
                ("the contact's new name", { _ = try await client.send(.patch, "/api/me", token: bob, json: #"{"displayName":"Robert"}"#) }),
                ("a deletion", { _ = try await client.send(.delete, "/api/blogs/bobs/posts/\(id)", token: bob) }),
                ("alice's own name", { _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"displayName":"Alice A."}"#) }),
                ("a contact gone", { _ = try await client.send(.delete, "/api/me/contacts/bob", token: alice) }),
            ]
            for (change, make) in changes {
                try await make()
                let stale = try await client.send(.get, "/api/me/stream", token: alice, headers: [.ifNoneMatch: tag])
                #expect(stale.status == .ok, "after \(change)")
                tag = try #require(stale.headers[.eTag])
            }

            let feed = try await client.send(.get, "/api/me/stream.atom", token: alice)
            let feedTag = try #require(feed.headers[.eTag])
            #expect(feedTag != tag)
            #expect(try await client.send(.get, "/api/me/stream.atom", token: alice, headers: [.ifNoneMatch: feedTag]).status == .notModified)
            try await client.connect("alice", token: alice, with: "carol", token: carol)
            #expect(try await client.send(.get, "/api/me/stream.atom", token: alice, headers: [.ifNoneMatch: feedTag]).status == .ok)
        }
    }

    private static func tag(_ client: some TestClientProtocol, _ token: String, previous: String?) async throws -> String {
        let page = try await client.send(.get, "/api/me/stream", token: token)
        #expect(page.status == .ok)
        #expect(page.headers[.cacheControl] == "private, no-cache")
        return try #require(page.headers[.eTag])
    }
}
