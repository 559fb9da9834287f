import FerryCore
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `/me`, the editor and `/contacts` in a browser without script: the API's rules through
/// forms, errors beside their fields, and nothing changed by a form that failed.
@Suite struct AccountPagesTests {
    @Test func theOwnersPagesSendAStrangerToSignInAndBack() async throws {
        try await withApp { client in
            for path in ["/me", "/contacts", "/me/blogs/notes/posts/new"] {
                let page = try await client.send(.get, path)
                #expect(page.status == .seeOther)
                #expect(page.headers[.location] == "/login?next=\(path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            }
            #expect(try await client.send(.post, "/me/profile").status == .seeOther)
        }
    }

    @Test func theOwnersPagesRunNoInlineScriptAndLabelEveryField() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let browser = try await PageBrowser.signIn("alice", client)
            for path in ["/move", "/me", "/contacts", "/me/blogs/notes/posts", "/me/blogs/notes/posts/new", "/help/desktop-editor"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                let handler = try Regex(#" on[a-z]+=""#)
                #expect(!page.text.contains("<script>") && !page.text.contains(handler), "\(path) has inline script")
                #expect(page.text.contains(#"<html lang="en">"#))
                #expect(page.text.contains("Sign out"))
                // Every visible field has a label that names it by id, or sits inside its label.
                for id in page.text.components(separatedBy: #"<input id=""#).dropFirst().map({ $0.prefix { $0 != "\"" } }) {
                    #expect(page.text.contains(#"<label for="\#(id)""#), "\(path): #\(id) has no label")
                }
            }
        }
    }

    @Test func theProfileIsEditedAndTheBadFieldNamed() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice")
            let browser = try await PageBrowser.signIn("alice", client)
            let token = try await browser.token("/me")
            let photo = "https://photos.example/a%20b.jpg?size=L&v=2"
            let saved = try await browser.post(
                "/me/profile", [("csrf", token), ("displayName", "Alicia"), ("bio", "Down the\nrabbit hole"), ("location", ""), ("photoURL", photo)])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/me?saved=profile")
            let me = try await client.send(.get, "/api/me", token: alice).json()
            #expect(me["displayName"] as? String == "Alicia")
            #expect(me["bio"] as? String == "Down the\nrabbit hole")
            #expect(me["photoURL"] as? String == photo)
            #expect(try await browser.get("/me?saved=profile").text.contains("Your profile is saved"))

            let refused = try await browser.post("/me/profile", [("csrf", token), ("displayName", "  "), ("bio", "changed")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.fieldError("displayName") != nil)
            #expect(refused.text.contains(">changed</textarea>"))
            let forged = try await browser.post("/me/profile", [("csrf", "forged"), ("displayName", "Mallory")])
            #expect(forged.status == .forbidden)
            #expect(try await client.send(.get, "/api/me", token: alice).json()["displayName"] as? String == "Alicia")
        }
    }

    @Test func aBlogsSettingsLinkAndOfflineCopyAreTheOwners() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let browser = try await PageBrowser.signIn("alice", client)
            let token = try await browser.token("/me")
            let saved = try await browser.post(
                "/me/blogs/notes", [("csrf", token), ("title", "Field notes"), ("language", "de"), ("visibility", "private"), ("allowAnonymousComments", "on")])
            #expect(saved.status == .seeOther)
            var blog = try await client.send(.get, "/api/blogs/notes", token: alice).json()
            #expect(blog["title"] as? String == "Field notes")
            #expect(blog["language"] as? String == "de")
            #expect(blog["visibility"] as? String == "private")
            #expect(blog["allowAnonymousComments"] as? Bool == true)

            let badLanguage = try await browser.post(
                "/me/blogs/notes", [("csrf", token), ("title", "X"), ("language", "not a tag!"), ("visibility", "public")])
            #expect(badLanguage.status == .unprocessableContent)
            #expect(badLanguage.fieldError("language-notes") != nil)
            #expect(try await client.send(.get, "/api/blogs/notes", token: alice).json()["title"] as? String == "Field notes")

            let wrongPassword = try await browser.post("/me/blogs/notes/link", [("csrf", token), ("link", "on"), ("password", "not it at all")])
            #expect(wrongPassword.status == .forbidden)
            #expect(wrongPassword.fieldError("password-notes")?.contains("not the password") == true)
            #expect(try await client.send(.get, "/api/blogs/notes", token: alice).json()["linked"] as? Bool == false)
            #expect(try await browser.post("/me/blogs/notes/link", [("csrf", token), ("link", "on"), ("password", "correct horse")]).status == .seeOther)
            #expect(try await client.send(.get, "/api/blogs/notes", token: alice).json()["linked"] as? Bool == true)
            #expect(try await browser.post("/me/blogs/notes/link", [("csrf", token)]).status == .seeOther)
            blog = try await client.send(.get, "/api/blogs/notes", token: alice).json()
            #expect(blog["linked"] as? Bool == false)

            let copy = try await browser.get("/me/blogs/notes/export")
            #expect(copy.status == .ok)
            #expect(copy.headers[.contentDisposition]?.contains("notes.wordpress.xml") == true)

            // Someone else's blog is out of reach through every form.
            try await client.signUp("mallory")
            let mallory = try await PageBrowser.signIn("mallory", client)
            let theirs = try await mallory.token("/me")
            #expect(try await mallory.post("/me/blogs/notes", [("csrf", theirs), ("title", "Mine now")]).status == .notFound)
            #expect(try await mallory.get("/me/blogs/notes/export").status == .notFound)
            #expect(try await client.send(.get, "/api/blogs/notes", token: alice).json()["title"] as? String == "Field notes")
        }
    }

    @Test func theEditorWritesEditsAndDeletesWithAPhoto() async throws {
        try await withApp(configure: { $0.mediaUploads.maxBytes = 64 * 1_024 }) { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let browser = try await PageBrowser.signIn("alice", client)
            let token = try await browser.token("/me/blogs/notes/posts/new")
            let photo = MediaUploadTests.jpeg(2_000)
            let written = try await browser.postMultipart(
                "/me/blogs/notes/posts/new",
                [("csrf", token), ("title", "Our trip"), ("content", "<p>Sea!</p><script>alert(1)</script>"), ("tags", "sea, summer")],
                files: [("file", "trip.jpg", "image/jpeg", photo)])
            #expect(written.status == .seeOther)
            let permalink = try #require(written.headers[.location])
            let post = try await client.send(.get, permalink)
            #expect(post.text.contains("<p>Sea!</p>"))
            #expect(!post.text.contains("alert(1)"))
            let media = try #require(post.text.components(separatedBy: #"<img src=""#).dropFirst().first?.prefix { $0 != "\"" })
            #expect(media.hasPrefix("/media/"))
            #expect(Data(try await client.send(.get, String(media)).body.readableBytesView) == photo)
            let api = try await client.send(.get, "/api/blogs/notes/posts", token: alice).json()["posts"] as? [[String: Any]]
            #expect(api?.first?["tags"] as? [String] == ["sea", "summer"])
            let id = try #require(api?.first?["id"] as? Int)

            let editor = try await browser.get("/me/blogs/notes/posts/\(id)/edit")
            #expect(editor.text.contains(#"value="Our trip""#))
            let edited = try await browser.postMultipart(
                "/me/blogs/notes/posts/\(id)/edit", [("csrf", token), ("title", "Our summer trip"), ("content", "<p>Sea.</p>"), ("tags", "")])
            #expect(edited.status == .seeOther)
            #expect(try await client.send(.get, "/api/blogs/notes/posts/\(id)", token: alice).json()["title"] as? String == "Our summer trip")

            let video = Data([0x1A, 0x45, 0xDF, 0xA3]) + Data(count: 500)
            let withVideo = try await browser.postMultipart(
                "/me/blogs/notes/posts/\(id)/edit", [("csrf", token), ("title", "Our summer trip"), ("content", "<p>Sea.</p>"), ("tags", "")],
                files: [("file", "waves.webm", "video/webm", video)])
            #expect(withVideo.status == .seeOther)
            #expect(try await client.send(.get, try #require(withVideo.headers[.location])).text.contains(#"<video controls"#))

            let listing = try await browser.get("/me/blogs/notes/posts")
            #expect(listing.text.contains("Our summer trip"))
            #expect(try await browser.post("/me/blogs/notes/posts/\(id)/delete", [("csrf", token)]).status == .seeOther)
            #expect(try await client.send(.get, "/api/blogs/notes/posts/\(id)", token: alice).status == .notFound)
        }
    }

    /// "Save draft" keeps a post the owner's (listed as a draft, nowhere public); "Publish"
    /// later puts it on the blog; a published post's editor no longer offers a draft.
    @Test func theEditorSavesADraftAndPublishesItLater() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let browser = try await PageBrowser.signIn("alice", client)
            let token = try await browser.token("/me/blogs/notes/posts/new")
            let fields = [("csrf", token), ("title", "Not yet"), ("content", "<p>Thinking.</p>"), ("tags", "")]
            let saved = try await browser.postMultipart("/me/blogs/notes/posts/new", fields + [("status", "draft")])
            #expect(saved.status == .seeOther)
            let editPath = try #require(saved.headers[.location]?.components(separatedBy: "?").first)
            #expect(editPath.hasPrefix("/me/blogs/notes/posts/") && editPath.hasSuffix("/edit"))
            #expect(try await browser.get(editPath).text.contains("only you see it"))
            #expect(try await browser.get("/me/blogs/notes/posts").text.contains("Draft, "))
            #expect(!(try await client.send(.get, "/notes/").text.contains("Not yet")))
            #expect(!(try await client.send(.get, "/notes/feed.atom").text.contains("Not yet")))

            let kept = try await browser.postMultipart(editPath, fields + [("status", "draft")])
            #expect(kept.headers[.location]?.hasPrefix(editPath) == true)
            let published = try await browser.postMultipart(editPath, fields + [("status", "publish")])
            let permalink = try #require(published.headers[.location])
            #expect(permalink.hasPrefix("/notes/20"))
            #expect(try await client.send(.get, permalink).text.contains("Thinking."))
            #expect(try await client.send(.get, "/notes/feed.atom").text.contains("Not yet"))
            let editor = try await browser.get(editPath).text
            #expect(!editor.contains(#"value="draft""#) && !editor.contains("only you see it"))
        }
    }

    @Test func aHostileOrOversizedUploadIsSaidBesideTheFileAndWritesNothing() async throws {
        try await withApp(configure: { $0.mediaUploads.maxBytes = 16 * 1_024 }) { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let browser = try await PageBrowser.signIn("alice", client)
            let token = try await browser.token("/me/blogs/notes/posts/new")
            let fields = [("csrf", token), ("title", "Trip"), ("content", "<p>Hi</p>"), ("tags", "")]

            let disguised = try await browser.postMultipart(
                "/me/blogs/notes/posts/new", fields, files: [("file", "photo.jpg", "image/jpeg", Data("<html><script>alert(1)</script>".utf8))])
            #expect(disguised.status == .unprocessableContent)
            #expect(disguised.fieldError("file")?.contains("not a JPEG photo") == true)
            #expect(disguised.text.contains(#"value="Trip""#))

            let page = try await browser.postMultipart(
                "/me/blogs/notes/posts/new", fields, files: [("file", "page.html", "text/html", Data("<p>hi</p>".utf8))])
            #expect(page.status == .unsupportedMediaType)
            #expect(page.fieldError("file") != nil)

            let huge = try await browser.postMultipart(
                "/me/blogs/notes/posts/new", fields, files: [("file", "big.jpg", "image/jpeg", MediaUploadTests.jpeg(40 * 1_024))])
            #expect(huge.status == .contentTooLarge)
            #expect(huge.fieldError("file")?.contains("at most 16384 bytes") == true)

            let posts = try await client.send(.get, "/api/blogs/notes/posts", token: alice).json()["posts"] as? [Any]
            #expect(posts?.isEmpty == true)
        }
    }

    @Test func contactsAreInvitedAcceptedAndRemoved() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice")
            try await client.signUp("bob", displayName: "Bob")
            let aliceBrowser = try await PageBrowser.signIn("alice", client)
            let bobBrowser = try await PageBrowser.signIn("bob", client)
            let aliceToken = try await aliceBrowser.token("/contacts")

            let unknown = try await aliceBrowser.post("/contacts", [("csrf", aliceToken), ("handle", "nobody")])
            #expect(unknown.status == .notFound)
            #expect(unknown.fieldError("handle") != nil)
            #expect(unknown.text.contains(#"value="nobody""#))

            #expect(try await aliceBrowser.post("/contacts", [("csrf", aliceToken), ("handle", "bob")]).status == .seeOther)
            #expect(try await aliceBrowser.get("/contacts").text.contains(#"aria-label="Withdraw the invitation to @bob""#))
            let incoming = try await bobBrowser.get("/contacts")
            #expect(incoming.text.contains(#"action="/contacts/alice/accept""#))

            let bobToken = try await bobBrowser.token("/contacts")
            #expect(try await bobBrowser.post("/contacts/alice/accept", [("csrf", aliceToken)]).status == .forbidden)
            #expect(try await bobBrowser.post("/contacts/alice/accept", [("csrf", bobToken)]).status == .seeOther)
            let accepted = try await client.send(.get, "/api/me/contacts", token: alice).json()["contacts"] as? [[String: Any]]
            #expect(accepted?.first?["state"] as? String == "accepted")

            #expect(try await aliceBrowser.post("/contacts/bob/remove", [("csrf", aliceToken)]).status == .seeOther)
            let none = try await client.send(.get, "/api/me/contacts", token: alice).json()["contacts"] as? [Any]
            #expect(none?.isEmpty == true)
        }
    }
}
