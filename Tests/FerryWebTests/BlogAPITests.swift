import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct BlogAPITests {
    @Test func anOwnerCreatesReadsListsAndChangesBlogs() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let created = try await client.send(.post, "/api/blogs", token: alice, json: #"{"slug":"Travels","title":" Travels ","language":"en-gb"}"#)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/api/blogs/travels")
            let blog = try created.json()
            #expect(blog["slug"] as? String == "travels")
            #expect(blog["title"] as? String == "Travels")
            #expect(blog["language"] as? String == "en-GB")
            #expect(blog["visibility"] as? String == "public")
            #expect(blog["owner"] as? String == "alice")
            #expect(blog["url"] as? String == "/travels/")
            _ = try await client.send(.post, "/api/blogs", token: alice, json: #"{"slug":"diary","title":"Diary","language":"fr","visibility":"private"}"#)

            let mine = try await client.send(.get, "/api/me/blogs", token: alice).json()["blogs"] as? [[String: Any]]
            #expect(mine?.compactMap { $0["slug"] as? String } == ["diary", "travels"])

            let patched = try await client.send(.patch, "/api/blogs/travels", token: alice, json: #"{"title":"Journeys","visibility":"hidden"}"#)
            #expect(patched.status == .ok)
            let shown = try await client.send(.get, "/api/blogs/travels").json()
            #expect(shown["title"] as? String == "Journeys")
            #expect(shown["visibility"] as? String == "hidden")
            #expect(shown["language"] as? String == "en-GB")
        }
    }

    @Test func privateBlogsAreInvisibleToStrangersButNotToContacts() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            let carol = try await client.newIdentity("carol")
            _ = try await client.send(.post, "/api/blogs", token: alice, json: #"{"slug":"diary","title":"Diary","language":"en","visibility":"private"}"#)
            _ = try await client.send(.post, "/api/me/contacts", token: alice, json: #"{"handle":"bob"}"#)

            let missing = try await client.send(.get, "/api/blogs/no-such-blog")
            for (token, label) in [(nil, "anonymous"), (carol, "stranger"), (bob, "invited, not yet a contact")] as [(String?, String)] {
                let response = try await client.send(.get, "/api/blogs/diary", token: token)
                #expect(response.status == .notFound, "\(label)")
                #expect(response.text.replacingOccurrences(of: "diary", with: "no-such-blog") == missing.text, "\(label)")
            }
            _ = try await client.send(.post, "/api/me/contacts/alice/accept", token: bob)
            #expect(try await client.send(.get, "/api/blogs/diary", token: bob).status == .ok)
            #expect(try await client.send(.get, "/api/blogs/diary", token: alice).status == .ok)
            #expect(try await client.send(.get, "/api/blogs/diary", token: "stale-token").status == .unauthorized)
        }
    }

    @Test func onlyTheOwnerChangesABlog() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            _ = try await client.send(.post, "/api/blogs", token: alice, json: #"{"slug":"travels","title":"Travels","language":"en"}"#)
            _ = try await client.send(.post, "/api/blogs", token: alice, json: #"{"slug":"diary","title":"Diary","language":"en","visibility":"private"}"#)
            let before = try await client.send(.get, "/api/blogs/travels").text

            #expect(try await client.send(.patch, "/api/blogs/travels", token: bob, json: #"{"title":"Mine now"}"#).status == .forbidden)
            #expect(try await client.send(.patch, "/api/blogs/diary", token: bob, json: #"{"title":"Mine now"}"#).status == .notFound)
            #expect(try await client.send(.patch, "/api/blogs/travels", json: #"{"title":"Mine now"}"#).status == .unauthorized)
            #expect(try await client.send(.post, "/api/blogs", json: #"{"slug":"x1","title":"X","language":"en"}"#).status == .unauthorized)
            #expect(try await client.send(.get, "/api/blogs/travels").text == before)
        }
    }

    @Test(
        arguments: [
            (#"{"slug":"api","title":"T","language":"en"}"#, HTTPResponse.Status.unprocessableContent, "slug"),
            (#"{"slug":"..","title":"T","language":"en"}"#, .unprocessableContent, "slug"),
            (#"{"slug":"ok-blog","title":"","language":"en"}"#, .unprocessableContent, "title"),
            (#"{"slug":"ok-blog","title":"T","language":"english"}"#, .unprocessableContent, "language"),
            (#"{"slug":"ok-blog","title":"T"}"#, .unprocessableContent, "language"),
            (#"{"slug":"ok-blog","title":"T","language":"en","visibility":"secret"}"#, .unprocessableContent, "visibility"),
            (#"{"slug":"taken","title":"T","language":"en"}"#, .conflict, "slug"),
            (#"{"slug":"TAKEN","title":"T","language":"en"}"#, .conflict, "slug"),
        ] as [(String, HTTPResponse.Status, String)])
    func badBlogsAreRefusedNamingTheField(_ json: String, _ status: HTTPResponse.Status, _ field: String) async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            _ = try await client.send(.post, "/api/blogs", token: alice, json: #"{"slug":"taken","title":"T","language":"en"}"#)
            let response = try await client.send(.post, "/api/blogs", token: alice, json: json)
            #expect(response.status == status)
            #expect(try response.problemField() == field)
            let mine = try await client.send(.get, "/api/me/blogs", token: alice).json()["blogs"] as? [[String: Any]]
            #expect(mine?.count == 1, "nothing was created")
        }
    }

    @Test(arguments: [
        (#"{"slug":"renamed"}"#, "slug"), (#"{"language":"??"}"#, "language"),
        (#"{"title":"  "}"#, "title"), (#"{"visibility":"everyone"}"#, "visibility"),
    ])
    func badChangesAreRefusedAndChangeNothing(_ json: String, _ field: String) async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            _ = try await client.send(.post, "/api/blogs", token: alice, json: #"{"slug":"travels","title":"Travels","language":"en"}"#)
            let before = try await client.send(.get, "/api/blogs/travels").text
            let response = try await client.send(.patch, "/api/blogs/travels", token: alice, json: json)
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemField() == field)
            #expect(try await client.send(.get, "/api/blogs/travels").text == before)
        }
    }
}
