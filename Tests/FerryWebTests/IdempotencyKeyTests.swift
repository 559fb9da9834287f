import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A write sent again with its `Idempotency-Key` (a load balancer retrying it on another node
/// after the first died, a client after a timeout) is answered with what it created, once.
@Suite struct IdempotencyKeyTests {
    static func keyed(_ key: String) -> HTTPFields { [HTTPField.Name("Idempotency-Key")!: key] }

    @Test func aCommentSentTwiceWithOneKeyIsAddedOnce() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            try await client.createBlog("travels", token: alice)
            let post = try await client.createPost("travels", token: alice, title: "Hello")
            let comments = "/api/blogs/travels/posts/\(post["id"] ?? 0)/comments"
            let body = #"{"content":"<p>Once</p>"}"#

            let first = try await client.send(.post, comments, token: bob, json: body, headers: Self.keyed("c-1"))
            // The same key as a structured-field string is the same key.
            let again = try await client.send(.post, comments, token: bob, json: body, headers: Self.keyed(#""c-1""#))
            #expect(first.status == .created && again.status == .created)
            #expect(try first.json()["id"] as? Int != nil)
            #expect(try again.json()["id"] as? Int == first.json()["id"] as? Int)
            #expect(try again.json()["content"] as? String == "<p>Once</p>")

            // Another request under that key is refused; another caller's key is their own.
            let other = try await client.send(.post, comments, token: bob, json: #"{"content":"<p>Other</p>"}"#, headers: Self.keyed("c-1"))
            #expect(other.status == .unprocessableContent)
            #expect(try other.problemField() == "Idempotency-Key")
            let byAlice = try await client.send(.post, comments, token: alice, json: body, headers: Self.keyed("c-1"))
            #expect(byAlice.status == .created)
            #expect(try byAlice.json()["id"] as? Int != first.json()["id"] as? Int)
            // Without a key, the same comment is a new one.
            #expect(try await client.send(.post, comments, token: bob, json: body).status == .created)

            let list = try await client.send(.get, comments).json()["comments"] as? [[String: Any]]
            #expect(list?.count == 3)
            #expect(try await client.send(.get, "/api/blogs/travels/posts/\(post["id"] ?? 0)").json()["commentCount"] as? Int == 3)

            // What the key created is gone: a retry says so instead of adding it again.
            #expect(try await client.send(.delete, "\(comments)/\(first.json()["id"] ?? 0)", token: bob).status == .noContent)
            let afterDelete = try await client.send(.post, comments, token: bob, json: body, headers: Self.keyed("c-1"))
            #expect(afterDelete.status == .conflict)
            #expect((try await client.send(.get, comments).json()["comments"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func aPostSentTwiceWithOneKeyIsPublishedOnce() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            let body = #"{"title":"Arrived","content":"<p>Here.</p>","tags":["trip"]}"#
            let first = try await client.send(.post, "/api/blogs/travels/posts", token: alice, json: body, headers: Self.keyed("p-1"))
            let again = try await client.send(.post, "/api/blogs/travels/posts", token: alice, json: body, headers: Self.keyed("p-1"))
            #expect(first.status == .created && again.status == .created)
            #expect(try again.json()["id"] as? Int == first.json()["id"] as? Int)
            #expect(again.headers[.location] == first.headers[.location])
            let posts = try await client.send(.get, "/api/blogs/travels/posts").json()["posts"] as? [[String: Any]]
            #expect(posts?.count == 1)
            let stream = try await client.send(.get, "/travels/feed.atom")
            #expect(stream.text.components(separatedBy: "<entry>").count == 2, "one entry in the feed")

            // The same key as a draft, or to another blog, is another request.
            let draft = #"{"title":"Arrived","content":"<p>Here.</p>","tags":["trip"],"draft":true}"#
            #expect(
                try await client.send(.post, "/api/blogs/travels/posts", token: alice, json: draft, headers: Self.keyed("p-1")).status == .unprocessableContent)
            try await client.createBlog("diary", token: alice)
            #expect(
                try await client.send(.post, "/api/blogs/diary/posts", token: alice, json: body, headers: Self.keyed("p-1")).status == .unprocessableContent)
        }
    }

    @Test(arguments: ["", #""""#, String(repeating: "k", count: 256), "naïve", "two words"])
    func anUnusableKeyIsRefusedBeforeAnythingIsWritten(key: String) async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            let response = try await client.send(
                .post, "/api/blogs/travels/posts", token: alice, json: #"{"title":"T","content":"<p>x</p>"}"#, headers: Self.keyed(key))
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemField() == "Idempotency-Key")
            #expect((try await client.send(.get, "/api/blogs/travels/posts").json()["posts"] as? [[String: Any]])?.count == 0)
        }
    }
}
