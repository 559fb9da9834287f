import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct PostAPITests {
    /// `"draft": true` keeps a post its owner's; a PUT with `"draft": false` publishes it; it
    /// never goes back.
    @Test func anOwnerKeepsADraftAndPublishesIt() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            let bob = try await client.newIdentity("bob")
            let saved = try await client.send(
                .post, "/api/blogs/travels/posts", token: alice, json: #"{"title":"Next trip","content":"<p>Soon</p>","draft":true}"#)
            #expect(saved.status == .created)
            let draft = try saved.json()
            let id = try #require(draft["id"] as? Int)
            #expect(draft["draft"] as? Bool == true)
            #expect(draft["url"] as? String == "/me/blogs/travels/posts/\(id)/edit")
            #expect(try await client.send(.get, "/api/blogs/travels/posts/\(id)", token: bob).status == .notFound)
            #expect(try await client.send(.get, "/api/blogs/travels/posts/\(id)").status == .notFound)
            #expect(try await client.send(.get, "/api/blogs/travels/posts/\(id)", token: alice).json()["draft"] as? Bool == true)
            #expect((try await client.send(.get, "/api/blogs/travels/posts", token: alice).json()["posts"] as? [Any])?.isEmpty == true)
            let comment = try await client.send(.post, "/api/blogs/travels/posts/\(id)/comments", token: bob, json: #"{"content":"first"}"#)
            #expect(comment.status == .notFound)

            let kept = try await client.send(.put, "/api/blogs/travels/posts/\(id)", token: alice, json: #"{"title":"Next trip","content":"<p>Later</p>"}"#)
            #expect(try kept.json()["draft"] as? Bool == true)
            let published = try await client.send(
                .put, "/api/blogs/travels/posts/\(id)", token: alice, json: #"{"title":"Next trip","content":"<p>Now</p>","draft":false}"#)
            #expect(try published.json()["draft"] as? Bool == false)
            let url = try #require(try published.json()["url"] as? String)
            #expect(try await client.send(.get, url).text.contains("<p>Now</p>"))
            let back = try await client.send(
                .put, "/api/blogs/travels/posts/\(id)", token: alice, json: #"{"title":"Next trip","content":"<p>Now</p>","draft":true}"#)
            #expect(back.status == .conflict)
            #expect(try back.problemField() == "draft")
        }
    }

    @Test func anOwnerPublishesEditsListsAndDeletesPosts() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            let created = try await client.createPost(
                "travels", token: alice, title: "Crème brûlée in Paris", content: "<p>Sweet <script>alert(1)</script></p>", tags: ["food", "Food", "Paris"])
            let id = try #require(created["id"] as? Int)
            let url = try #require(created["url"] as? String)
            let month = Date().formatted(.iso8601.year().month().dateSeparator(.omitted)).replacingOccurrences(of: "-", with: "")
            #expect(url == "/travels/\(month.prefix(4))/\(month.suffix(2))/creme-brulee-in-paris")
            #expect(created["content"] as? String == "<p>Sweet </p>")
            #expect(created["tags"] as? [String] == ["food", "Paris"])
            let entryID = try #require(created["entryId"] as? String)
            #expect(entryID.hasPrefix("urn:uuid:"))

            let again = try await client.createPost("travels", token: alice, title: "Crème Brûlée in Paris!")
            #expect((again["url"] as? String)?.hasSuffix("/creme-brulee-in-paris-2") == true)

            let edited = try await client.send(
                .put, "/api/blogs/travels/posts/\(id)", token: alice, json: #"{"title":"A different title","content":"<h2>New</h2>","tags":[]}"#)
            #expect(edited.status == .ok)
            let body = try edited.json()
            #expect(body["url"] as? String == url)
            #expect(body["entryId"] as? String == entryID)
            #expect(body["title"] as? String == "A different title")

            let shown = try await client.send(.get, "/api/blogs/travels/posts/\(id)").json()
            #expect(shown["content"] as? String == "<h2>New</h2>")

            #expect(try await client.send(.delete, "/api/blogs/travels/posts/\(id)", token: alice).status == .noContent)
            #expect(try await client.send(.get, "/api/blogs/travels/posts/\(id)").status == .notFound)
            #expect(try await client.send(.delete, "/api/blogs/travels/posts/\(id)", token: alice).status == .notFound)
        }
    }

    @Test func listsPageNewestFirstWithoutRepeatsOrGaps() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            for number in 1...7 { try await client.createPost("travels", token: alice, title: "Post \(number)") }
            var titles: [String] = []
            var cursor: String?
            repeat {
                let query = cursor.map { "&before=\($0)" } ?? ""
                let page = try await client.send(.get, "/api/blogs/travels/posts?limit=3\(query)").json()
                titles += (page["posts"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
                #expect(page.keys.contains("nextCursor"), "null, not absent, on the last page, as in every list")
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(titles == (1...7).reversed().map { "Post \($0)" })
            #expect(try await client.send(.get, "/api/blogs/travels/posts?limit=0").status == .unprocessableContent)
            #expect(try await client.send(.get, "/api/blogs/travels/posts?before=abc").status == .unprocessableContent)
        }
    }

    @Test func onlyTheOwnerWritesAndPrivatePostsStayHidden() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let mallory = try await client.newIdentity("mallory")
            try await client.createBlog("travels", token: alice)
            try await client.createBlog("diary", token: alice, visibility: "private")
            let post = try await client.createPost("travels", token: alice, title: "Mine")
            let secret = try await client.createPost("diary", token: alice, title: "Secret")
            let json = #"{"title":"Hacked","content":""}"#

            #expect(try await client.send(.post, "/api/blogs/travels/posts", json: json).status == .unauthorized)
            #expect(try await client.send(.post, "/api/blogs/travels/posts", token: mallory, json: json).status == .forbidden)
            #expect(try await client.send(.put, "/api/blogs/travels/posts/\(post["id"] ?? 0)", token: mallory, json: json).status == .forbidden)
            #expect(try await client.send(.delete, "/api/blogs/travels/posts/\(post["id"] ?? 0)", token: mallory).status == .forbidden)
            #expect(try await client.send(.post, "/api/blogs/diary/posts", token: mallory, json: json).status == .notFound)
            #expect(try await client.send(.put, "/api/blogs/diary/posts/\(secret["id"] ?? 0)", token: mallory, json: json).status == .notFound)
            #expect(try await client.send(.get, "/api/blogs/diary/posts/\(secret["id"] ?? 0)", token: mallory).status == .notFound)
            #expect(try await client.send(.get, "/api/blogs/diary/posts").status == .notFound)
            // A post id from another blog is not found through this one.
            #expect(try await client.send(.get, "/api/blogs/travels/posts/\(secret["id"] ?? 0)").status == .notFound)
            #expect(try await client.send(.get, "/api/blogs/no-such-blog/posts").status == .notFound)
            #expect(try await client.send(.get, "/api/blogs/travels/posts/not-a-number").status == .notFound)

            let titles = try await client.send(.get, "/api/blogs/travels/posts").json()["posts"] as? [[String: Any]]
            #expect(titles?.compactMap { $0["title"] as? String } == ["Mine"])
        }
    }

    @Test func badPostsAreRefusedAndNothingIsWritten() async throws {
        try await withApp(configure: { $0.maxPostHTMLBytes = 2_048 }) { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            let cases: [(String, HTTPResponse.Status, String?)] = [
                (#"{"title":"","content":"x"}"#, .unprocessableContent, "title"),
                (#"{"title":"a\nb","content":"x"}"#, .unprocessableContent, "title"),
                (#"{"content":"x"}"#, .unprocessableContent, "title"),
                (#"{"title":"t","content":"x","tags":["ok",""]}"#, .unprocessableContent, "tags[1]"),
                (#"{"title":"t","content":"x","tags":"travel"}"#, .unprocessableContent, "tags"),
                (#"{"title":"t","content":"\#(String(repeating: "x", count: 2_049))"}"#, .contentTooLarge, "content"),
                ("[1,2]", .badRequest, nil),
                ("{not json", .badRequest, nil),
            ]
            for (body, status, field) in cases {
                let response = try await client.send(.post, "/api/blogs/travels/posts", token: alice, json: body)
                #expect(response.status == status, "\(body.prefix(60))")
                #expect(try response.problemField() == field, "\(body.prefix(60))")
            }
            let huge = String(repeating: "x", count: 10_000)
            let response = try await client.send(.post, "/api/blogs/travels/posts", token: alice, json: #"{"title":"t","content":"\#(huge)"}"#)
            #expect(response.status == .contentTooLarge)
            let posts = try await client.send(.get, "/api/blogs/travels/posts").json()["posts"] as? [Any]
            #expect(posts?.isEmpty == true)
        }
    }
}
