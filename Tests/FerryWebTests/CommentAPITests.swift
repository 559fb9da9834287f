import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct CommentAPITests {
    @Test func readersCommentAndTheOwnerRemovesAnyComment() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob", displayName: "Bob <b>B</b>")
            let carol = try await client.newIdentity("carol")
            try await client.createBlog("travels", token: alice)
            let post = try await client.createPost("travels", token: alice, title: "Hello")
            let comments = "/api/blogs/travels/posts/\(post["id"] ?? 0)/comments"

            let created = try await client.send(.post, comments, token: bob, json: #"{"content":"<p onclick=\"x()\">Nice <a href=\"javascript:alert(1)\">post</a></p>"}"#)
            #expect(created.status == .created)
            let comment = try created.json()
            #expect(comment["content"] as? String == "<p>Nice <a>post</a></p>")
            #expect(comment["author"] as? String == "bob")
            #expect(comment["name"] as? String == "Bob <b>B</b>")
            let byCarol = try await client.send(.post, comments, token: carol, json: #"{"content":"Me too"}"#).json()

            let list = try await client.send(.get, comments).json()["comments"] as? [[String: Any]]
            #expect(list?.compactMap { $0["content"] as? String } == ["<p>Nice <a>post</a></p>", "Me too"])
            #expect(try await client.send(.get, "/api/blogs/travels/posts/\(post["id"] ?? 0)").json()["commentCount"] as? Int == 2)

            // Carol may not remove Bob's comment; she may remove her own; Alice removes any.
            #expect(try await client.send(.delete, "\(comments)/\(comment["id"] ?? 0)", token: carol).status == .forbidden)
            #expect(try await client.send(.delete, "\(comments)/\(byCarol["id"] ?? 0)", token: carol).status == .noContent)
            #expect(try await client.send(.delete, "\(comments)/\(comment["id"] ?? 0)", token: alice).status == .noContent)
            #expect(try await client.send(.delete, "\(comments)/\(comment["id"] ?? 0)", token: alice).status == .notFound)
            #expect(try await client.send(.get, "/api/blogs/travels/posts/\(post["id"] ?? 0)").json()["commentCount"] as? Int == 0)
        }
    }

    @Test func visitorsCommentWithANameOnlyWhereTheOwnerAllowsIt() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            let post = try await client.createPost("travels", token: alice, title: "Hello")
            let comments = "/api/blogs/travels/posts/\(post["id"] ?? 0)/comments"
            let visitor = #"{"name":"A visitor","content":"Hi!"}"#

            #expect(try await client.send(.post, comments, json: visitor).status == .unauthorized)
            let allowed = try await client.send(.patch, "/api/blogs/travels", token: alice, json: #"{"allowAnonymousComments":true}"#)
            #expect(try allowed.json()["allowAnonymousComments"] as? Bool == true)

            let created = try await client.send(.post, comments, json: visitor)
            #expect(created.status == .created)
            #expect(try created.json()["name"] as? String == "A visitor")
            #expect(try created.json()["author"] == nil)
            #expect(try await client.send(.post, comments, json: #"{"content":"no name"}"#).problemField() == "name")
            #expect(try await client.send(.post, comments, json: #"{"name":"x","content":"<script>only code</script>"}"#).problemField() == "content")
            #expect(try await client.send(.post, comments, token: alice, json: visitor).problemField() == "name")

            // A hidden blog is not public: visitors may not comment there even if it was allowed.
            _ = try await client.send(.patch, "/api/blogs/travels", token: alice, json: #"{"visibility":"hidden"}"#)
            #expect(try await client.send(.post, comments, json: visitor).status == .unauthorized)
        }
    }

    @Test func privateBlogsTakeCommentsOnlyFromTheirReaders() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            let mallory = try await client.newIdentity("mallory")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            try await client.createBlog("diary", token: alice, visibility: "private")
            let post = try await client.createPost("diary", token: alice, title: "Secret")
            let comments = "/api/blogs/diary/posts/\(post["id"] ?? 0)/comments"

            #expect(try await client.send(.post, comments, token: mallory, json: #"{"content":"hi"}"#).status == .notFound)
            #expect(try await client.send(.get, comments, token: mallory).status == .notFound)
            #expect(try await client.send(.post, comments, json: #"{"name":"x","content":"hi"}"#).status == .notFound)
            let byBob = try await client.send(.post, comments, token: bob, json: #"{"content":"hi"}"#)
            #expect(byBob.status == .created)
            #expect(try await client.send(.delete, "\(comments)/\(byBob.json()["id"] ?? 0)", token: mallory).status == .notFound)
            #expect(try await client.send(.post, "/api/blogs/diary/posts/999/comments", token: bob, json: #"{"content":"hi"}"#).status == .notFound)
        }
    }
}
