import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct StreamAPITests {
    @Test func acceptedContactsSeeLinkedPostsNewestFirstAsActivityStreams() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice A.")
            let bob = try await client.newIdentity("bob")
            let carol = try await client.newIdentity("carol")
            let dave = try await client.newIdentity("dave")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            _ = try await client.send(.post, "/api/me/contacts", token: alice, json: #"{"handle":"carol"}"#)
            _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"photoURL":"https://photos.example/alice.jpg"}"#)
            try await client.createBlog("reisen", token: alice, language: "de", title: "Reisen")
            try await client.createPost("reisen", token: alice, title: "Before the link")
            try await client.link("reisen", token: alice)
            try await client.createPost("reisen", token: alice, title: "Erster", content: "<p>Guten <b>Tag</b> &amp; hallo</p>")
            let second = try await client.createPost("reisen", token: alice, title: #"Zweiter "Teil" \ Ende"#)

            let response = try await client.send(.get, "/api/me/stream", token: bob)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/activity+json")
            let page = try response.json()
            #expect(page["@context"] as? String == "https://www.w3.org/ns/activitystreams")
            #expect(page["type"] as? String == "OrderedCollectionPage")
            #expect(page["partOf"] as? String == "\(siteURL)/api/me/stream")
            #expect(page["next"] == nil)
            let items = try #require(page["orderedItems"] as? [[String: Any]])
            #expect(items.map { $0["type"] as? String } == ["Create", "Create", "Add"], "two posts after the link, and the link; not the post before it")
            let newest = items[0]
            let actor = try #require(newest["actor"] as? [String: Any])
            #expect(actor["preferredUsername"] as? String == "alice")
            #expect(actor["name"] as? String == "Alice A.")
            #expect(actor["url"] as? String == "\(siteURL)/people/alice")
            #expect((actor["icon"] as? [String: Any])?["url"] as? String == "https://photos.example/alice.jpg")
            let object = try #require(newest["object"] as? [String: Any])
            #expect(object["type"] as? String == "Article")
            #expect(object["name"] as? String == #"Zweiter "Teil" \ Ende"#, "escaped as JSON and read back")
            #expect(object["url"] as? String == "\(siteURL)\(second["url"] as? String ?? "")")
            #expect((object["contentMap"] as? [String: String])?.keys.sorted() == ["de"])
            #expect(newest["published"] is String)
            let older = try #require(items.dropFirst().first?["object"] as? [String: Any])
            #expect(older["summary"] as? String == "Guten Tag &amp; hallo")

            for viewer in [carol, dave, alice] {
                let other = try await client.send(.get, "/api/me/stream", token: viewer).json()
                #expect((other["orderedItems"] as? [Any])?.isEmpty == true, "pending, strangers and the actor see none of it")
            }
        }
    }

    @Test func cursorsPageThroughTheWholeHistoryWhileNewActivitiesArrive() async throws {
        try await withApp { client in
            let (alice, bob) = try await client.aliceAndBobWithALinkedBlog()
            for number in 1...6 { try await client.createPost("travels", token: alice, title: "Post \(number)") }

            var seen: [String] = []
            var uri: String? = "/api/me/stream?limit=2"
            var pages = 0
            while let next = uri {
                let page = try await client.send(.get, next, token: bob).json()
                let items = try #require(page["orderedItems"] as? [[String: Any]])
                #expect(items.count <= 2)
                seen += items.map { ($0["object"] as? [String: Any])?["name"] as? String ?? "" }
                uri = (page["next"] as? String).map { String($0.dropFirst(siteURL.count)) }
                pages += 1
                // A post published while paging is newer than every cursor: it shows on the next first page.
                if pages == 1 { try await client.createPost("travels", token: alice, title: "Late") }
            }
            #expect(seen == ["Post 6", "Post 5", "Post 4", "Post 3", "Post 2", "Post 1", "travels"])
            #expect(pages == 4)
            let first = try await client.send(.get, "/api/me/stream?limit=1", token: bob).json()
            #expect(((first["orderedItems"] as? [[String: Any]])?.first?["object"] as? [String: Any])?["name"] as? String == "Late")
        }
    }

    @Test func badLimitsCursorsAndMissingCredentialsAreClearErrors() async throws {
        try await withApp { client in
            let (alice, bob) = try await client.aliceAndBobWithALinkedBlog()
            try await client.createPost("travels", token: alice, title: "One")
            let page = try await client.send(.get, "/api/me/stream?limit=1", token: bob).json()
            let next = try #require(page["next"] as? String)
            let cursor = String(try #require(next.split(separator: "before=").last))

            for limit in ["0", "101", "-1", "ten", "99999999999999999999"] {
                let response = try await client.send(.get, "/api/me/stream?limit=\(limit)", token: bob)
                #expect(response.status == .unprocessableContent, "\(limit)")
                #expect(try response.problemField() == "limit")
            }
            let id = cursor.prefix { $0 != "." }
            let forged = [
                "1", "x.y", String(cursor.dropLast()) + (cursor.last == "A" ? "B" : "A"), "\((Int64(id) ?? 0) + 1)" + cursor.drop { $0 != "." },
                String(repeating: "9", count: 400) + ".AA", "%00", "",
            ]
            for before in forged {
                let response = try await client.send(.get, "/api/me/stream?before=\(before)", token: bob)
                #expect(response.status == .badRequest, "\(before)")
                #expect(try response.problemField() == "before")
            }
            let stolen = try await client.send(.get, "/api/me/stream?before=\(cursor)", token: alice)
            #expect(stolen.status == .badRequest, "a cursor is only good for the identity it was made for")
            #expect(try await client.send(.get, "/api/me/stream?before=\(cursor)", token: bob).status == .ok)

            let anonymous = try await client.send(.get, "/api/me/stream")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try await client.send(.get, "/api/me/stream", token: "not-a-token").status == .unauthorized)
            let atom = try await client.send(.get, "/api/me/stream.atom")
            #expect(atom.status == .unauthorized)
            #expect(atom.headers[.wwwAuthenticate]?.contains("Basic") == true)
            #expect(
                try await client.send(.get, "/api/me/stream.atom", headers: [.authorization: "Basic \(Data("bob:wrong".utf8).base64EncodedString())"]).status
                    == .unauthorized)
        }
    }

    @Test func whoSeesWhatIsDecidedWhenTheStreamIsRead() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            try await client.createBlog("travels", token: alice)
            try await client.createBlog("notes", token: bob)
            try await client.link("travels", token: alice)
            try await client.link("notes", token: bob)
            let post = try await client.createPost("travels", token: alice, title: "Lisbon")
            try await client.createPost("notes", token: bob, title: "Bob's note")
            func names(_ token: String) async throws -> [String] {
                let page = try await client.send(.get, "/api/me/stream", token: token).json()
                return (page["orderedItems"] as? [[String: Any]] ?? []).map { ($0["object"] as? [String: Any])?["name"] as? String ?? "?" }
            }
            #expect(try await names(bob) == ["Lisbon", "travels"])
            #expect(try await names(alice) == ["Bob's note", "notes"])

            // Unlinking hides what the blog shared; linking again shows it.
            _ = try await client.send(.delete, "/api/blogs/travels/messenger-link", token: alice)
            #expect(try await names(bob).isEmpty)
            try await client.createPost("travels", token: alice, title: "While unlinked")
            try await client.link("travels", token: alice)
            #expect(try await names(bob) == ["travels", "Lisbon", "travels"], "nothing was recorded while unlinked; linking again is news")

            // Deleting a post removes its activity from every stream.
            #expect(try await client.send(.delete, "/api/blogs/travels/posts/\(post["id"] as? Int ?? 0)", token: alice).status == .noContent)
            #expect(try await names(bob) == ["travels", "travels"])

            // Removing a contact removes both sides' activities from both streams at once.
            #expect(try await client.send(.delete, "/api/me/contacts/alice", token: bob).status == .noContent)
            #expect(try await names(bob).isEmpty)
            #expect(try await names(alice).isEmpty)
        }
    }

    @Test func commentsByOthersReachTheBlogsOwnerOnly() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            let carol = try await client.newIdentity("carol")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            try await client.connect("bob", token: bob, with: "carol", token: carol)
            try await client.createBlog("travels", token: alice)
            try await client.link("travels", token: alice)
            let post = try await client.createPost("travels", token: alice, title: "Lisbon")
            let comments = "/api/blogs/travels/posts/\(post["id"] as? Int ?? 0)/comments"
            #expect(try await client.send(.post, comments, token: carol, json: #"{"content":"<p>Lovely <script>x</script></p>"}"#).status == .created)
            #expect(try await client.send(.post, comments, token: alice, json: #"{"content":"<p>Thanks</p>"}"#).status == .created)

            let page = try await client.send(.get, "/api/me/stream", token: alice).json()
            let items = try #require(page["orderedItems"] as? [[String: Any]])
            #expect(items.count == 1, "the owner's own comment is no news to them")
            let comment = try #require(items.first)
            #expect(comment["type"] as? String == "Create")
            #expect((comment["actor"] as? [String: Any])?["preferredUsername"] as? String == "carol")
            let note = try #require(comment["object"] as? [String: Any])
            #expect(note["type"] as? String == "Note")
            #expect(note["inReplyTo"] as? String == "\(siteURL)\(post["url"] as? String ?? "")")
            #expect((note["contentMap"] as? [String: String])?["en"] == "<p>Lovely </p>")
            let bobsItems = try await client.send(.get, "/api/me/stream", token: bob).json()["orderedItems"] as? [[String: Any]]
            #expect(bobsItems?.map { $0["type"] as? String } == ["Create", "Add"], "Bob sees Alice's post and link, not Carol's comment")
        }
    }

    @Test func theStreamAsAtomForFeedReaders() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice & Co")
            let bob = try await client.newIdentity("bob")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            try await client.createBlog("diary", token: alice, visibility: "private")
            try await client.link("diary", token: alice)
            try await client.createPost("diary", token: alice, title: "Secret <plans>", content: "<p>Only for contacts</p>")

            let basic = "Basic \(Data("bob:correct horse".utf8).base64EncodedString())"
            let response = try await client.send(.get, "/api/me/stream.atom", headers: [.authorization: basic])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
            #expect(response.headers[.cacheControl] == "private, no-cache")
            let feed = try parseAtomFeed(response.data)
            #expect(feed.entries.count == 2)
            #expect(feed.entries.first?.title == "Alice & Co published “Secret <plans>” in diary")
            #expect(feed.entries.first?.content == "<p>Only for contacts</p>")
            #expect(feed.links["self"] == "\(siteURL)/api/me/stream.atom")
            let etag = try #require(response.headers[.eTag])
            #expect(try await client.send(.get, "/api/me/stream.atom", token: bob, headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await client.send(.get, "/api/me/stream.atom", token: alice).text.contains("<entry>") == false)
        }
    }

    @Test func anIdentitysActivityFeedHoldsOnlyWhatAnyoneMayRead() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            for (slug, visibility) in [("open", "public"), ("quiet", "hidden"), ("diary", "private")] {
                try await client.createBlog(slug, token: alice, visibility: visibility)
                try await client.link(slug, token: alice)
                try await client.createPost(slug, token: alice, title: "In \(slug)")
            }
            try await client.createBlog("scraps", token: alice)
            try await client.createPost("scraps", token: alice, title: "In scraps")

            let response = try await client.send(.get, "/people/alice/activity.atom")
            #expect(response.status == .ok)
            let feed = try parseAtomFeed(response.data)
            #expect(
                feed.entries.map(\.title) == [
                    "alice published “In quiet” in quiet", "alice linked quiet", "alice published “In open” in open", "alice linked open",
                ])
            #expect(feed.links["alternate"] == "\(siteURL)/people/alice")
            #expect(try await client.send(.get, "/people/nobody/activity.atom").status == .notFound)
            #expect(try await client.send(.get, "/people/NOT%20valid/activity.atom").status == .notFound)
        }
    }

    @Test func webFingerFindsProfilesAndActivityFeeds() async throws {
        try await withApp { client in
            _ = try await client.newIdentity("alice")
            let response = try await client.send(.get, "/.well-known/webfinger?resource=acct:Alice@FERRY.test.")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/jrd+json")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            let descriptor = try response.json()
            #expect(descriptor["subject"] as? String == "acct:alice@ferry.test")
            let links = try #require(descriptor["links"] as? [[String: String]])
            #expect(links.contains { $0["rel"] == "http://webfinger.net/rel/profile-page" && $0["href"] == "\(siteURL)/people/alice" })
            #expect(links.contains { $0["type"] == "application/atom+xml" && $0["href"] == "\(siteURL)/people/alice/activity.atom" })
            let byURL = try await client.send(.get, "/.well-known/webfinger?resource=\(siteURL)/people/alice&rel=http://webfinger.net/rel/profile-page").json()
            #expect((byURL["links"] as? [Any])?.count == 1)

            #expect(try await client.send(.get, "/.well-known/webfinger").status == .badRequest)
            #expect(try await client.send(.get, "/.well-known/webfinger?resource=acct:alice").status == .badRequest)
            for resource in ["acct:bob@ferry.test", "acct:alice@elsewhere.example", "mailto:alice@ferry.test", "acct:%3Cscript%3E@ferry.test"] {
                let missing = try await client.send(.get, "/.well-known/webfinger?resource=\(resource)")
                #expect(missing.status == .notFound, "\(resource)")
                #expect(missing.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func theStreamPageNeedsASignedInBrowser() async throws {
        try await withApp { client in
            let (alice, _) = try await client.aliceAndBobWithALinkedBlog()
            let post = try await client.createPost("travels", token: alice, title: "Lisbon <3", content: "<p>Tram 28</p>")

            let anonymous = try await client.send(.get, "/stream")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login?next=/stream")
            let page = try await client.send(.get, "/stream", headers: [.cookie: client.signInCookie("bob")])
            #expect(page.status == .ok)
            #expect(page.headers[.xRobotsTag] == "noindex")
            #expect(page.text.contains(#"<a href="\#(siteURL)\#(post["url"] as? String ?? "")">alice published “Lisbon &lt;3” in travels</a>"#))
            #expect(page.text.contains("Tram 28"))
            #expect(!page.text.contains("<3"))
        }
    }

    @Test func aMigrationIntoALinkedBlogIsOneActivityNotAFlood() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            try await client.createBlog("themes", token: alice, title: "Themes")
            try await client.link("themes", token: alice)
            let migrations = MigrationAPITests()
            let analysed = try await migrations.upload(client, try Data(contentsOf: MigrationAPITests.fixture), query: "blog=themes&mode=merge", token: alice)
            let id = try #require(try analysed.json()["id"] as? String)
            #expect(try await client.send(.post, "/api/migrations/\(id)/confirm", token: alice).status == .accepted)
            #expect(try await migrations.finished(client, id, token: alice)["status"] as? String == "done")

            let items = try #require(try await client.send(.get, "/api/me/stream?limit=100", token: bob).json()["orderedItems"] as? [[String: Any]])
            #expect(items.map { $0["type"] as? String } == ["Move", "Add"])
            let move = try #require(items.first)
            #expect((move["summary"] as? String)?.hasPrefix("alice moved Themes to ferry: moved 56 posts, 21 pages, 30 comments") == true)
            #expect((move["object"] as? [String: Any])?["url"] as? String == "\(siteURL)/themes/")
        }
    }

    @Test func aLinkedBlogShowsItsOwnerAndAnUnlinkedOneDoesNot() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice A.")
            _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"photoURL":"https://photos.example/alice.jpg"}"#)
            try await client.createBlog("travels", token: alice)
            let post = try await client.createPost("travels", token: alice, title: "Lisbon")
            let url = try #require(post["url"] as? String)
            for path in ["/travels/", url] {
                let unlinked = try await client.send(.get, path).text
                #expect(unlinked.contains("Alice A."))
                #expect(!unlinked.contains("/people/alice"), "\(path)")
                #expect(!unlinked.contains("photos.example"))
            }
            #expect(!(try await client.send(.get, "/travels/feed.atom").text.contains("/people/alice")))

            try await client.link("travels", token: alice)
            for path in ["/travels/", url] {
                let linked = try await client.send(.get, path).text
                #expect(
                    linked.contains(#"<a class="owner" href="/people/alice" rel="author"><img class="avatar" src="https://photos.example/alice.jpg""#),
                    "\(path)")
            }
            #expect(try await client.send(.get, "/travels/feed.atom").text.contains("<uri>\(siteURL)/people/alice</uri>"))
        }
    }
}

extension TestClientProtocol {
    /// Alice and Bob, accepted contacts, and Alice's public blog `travels`, linked; their tokens.
    func aliceAndBobWithALinkedBlog() async throws -> (alice: String, bob: String) {
        let alice = try await newIdentity("alice")
        let bob = try await newIdentity("bob")
        try await connect("alice", token: alice, with: "bob", token: bob)
        try await createBlog("travels", token: alice)
        try await link("travels", token: alice)
        return (alice, bob)
    }
}
