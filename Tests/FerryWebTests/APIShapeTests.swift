import FerryCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Every answer of a kind has the same fields: one without a value is `null`, never left out.
struct APIShapeTests {
    private func nulls(_ object: [String: Any]) -> Set<String> {
        Set(object.filter { $0.value is NSNull }.keys)
    }

    @Test func optionalFieldsArePresentAsNull() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let me = try await client.send(.get, "/api/me", token: alice).json()
            #expect(nulls(me) == ["bio", "location", "website", "photoURL", "migrationDeadline"])

            try await client.createBlog("notes", token: alice)
            let blog = try await client.send(.get, "/api/blogs/notes", token: alice).json()
            #expect(nulls(blog) == ["linkedAt"])

            let post = try await client.send(.post, "/api/blogs/notes/posts", token: alice, json: #"{"title":"A","content":"<p>a</p>"}"#).json()
            let postID = try #require(post["id"] as? Int)
            let comment = try await client.send(.post, "/api/blogs/notes/posts/\(postID)/comments", token: alice, json: #"{"content":"<p>hi</p>"}"#).json()
            #expect(nulls(comment).isEmpty && comment["author"] as? String == "alice")

            let posts = try await client.send(.get, "/api/blogs/notes/posts", token: alice).json()
            #expect(nulls(posts) == ["nextCursor"])
            let comments = try await client.send(.get, "/api/blogs/notes/posts/\(postID)/comments", token: alice).json()
            #expect(nulls(comments) == ["nextCursor"])
            let contacts = try await client.send(.get, "/api/me/contacts", token: alice).json()
            #expect(nulls(contacts) == ["nextCursor"])

            let export =
                #"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>x</title><description>y</description></item></channel></rss>"#
            let migration = try await client.executeRequest(
                uri: "/api/migrations?blog=moved&mode=new", method: .post, headers: [.authorization: "Bearer \(alice)"], body: .init(string: export)
            ).json()
            #expect(nulls(migration) == ["report", "failure", "deadline"])
        }
    }
}
