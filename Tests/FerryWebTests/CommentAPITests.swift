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

            let created = try await client.send(
                .post, comments, token: bob, json: #"{"content":"<p onclick=\"x()\">Nice <a href=\"javascript:alert(1)\">post</a></p>"}"#)
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
            #expect(try created.json()["author"] is NSNull, "present, and null")
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

    /// Comments come a page at a time, on the page and in the API: `nextCursor` leads on
    /// and is `null` at the end; a post page shows the first fifty and links to the rest.
    @Test func commentsArePagedOnThePageAndInTheAPI() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            let post = try await client.createPost("travels", token: alice, title: "Busy")
            let comments = "/api/blogs/travels/posts/\(post["id"] ?? 0)/comments"
            for number in 0..<55 {
                #expect(try await client.send(.post, comments, token: alice, json: #"{"content":"comment \#(number)"}"#).status == .created)
            }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await client.send(.get, comments + "?limit=20" + (cursor.map { "&after=\($0)" } ?? "")).json()
                seen += (page["comments"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
                #expect(page.keys.contains("nextCursor"), "null, not absent, on the last page")
                cursor = page["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == (0..<55).map { "comment \($0)" })
            #expect((try await client.send(.get, comments).json()["comments"] as? [Any])?.count == 50, "fifty unless asked")
            #expect(try await client.send(.get, comments + "?after=x").status == .unprocessableContent)
            #expect(try await client.send(.get, comments + "?limit=201").status == .unprocessableContent)

            let url = try #require(post["url"] as? String)
            let first = try await client.send(.get, url).text
            #expect(first.components(separatedBy: #"<article class="comment "#).count - 1 == 50)
            let later = try #require(first.components(separatedBy: #"<a href=""#).first { $0.contains("rel=\"next\">Later comments") }?.prefix { $0 != "\"" })
            let rest = try await client.send(.get, String(later).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(rest.status == .ok)
            #expect(rest.text.components(separatedBy: #"<article class="comment "#).count - 1 == 5)
            #expect(rest.text.contains("comment 54") && !rest.text.contains("comment 49<"))
            #expect(rest.text.contains("First comments") && !rest.text.contains("Later comments"))
            #expect(try await client.send(.get, url + "?comments=nope").status == .unprocessableContent)
        }
    }
}
