import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct BlogPageTests {
    @Test func theBlogHomeAndPostPagesShowSanitizedPostsAndEscapedText() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice <i>the</i> author")
            let bob = try await client.newIdentity("bob", displayName: "<script>bob</script>")
            try await client.createBlog("travels", token: alice, language: "de", title: "Reisen & <mehr>")
            let post = try await client.createPost(
                "travels", token: alice, title: "Über <script>x</script>",
                content: #"<p>Guten <strong>Tag</strong><img src="https://img.example/a.jpg" onerror="alert(1)"></p>"#, tags: ["<tag>"]
            )
            _ = try await client.send(
                .post, "/api/blogs/travels/posts/\(post["id"] ?? 0)/comments", token: bob, json: #"{"content":"<em>danke</em><script>x</script>"}"#)

            for path in ["/travels/", "/travels", "/TRAVELS/"] {
                #expect(try await client.send(.get, path).status == .ok, "\(path)")
            }
            let home = try await client.send(.get, "/travels/")
            let html = home.text
            #expect(html.contains(#"<html lang="de">"#))
            #expect(html.contains("Reisen &amp; &lt;mehr&gt;"))
            #expect(html.contains("Über &lt;script&gt;x&lt;/script&gt;"))
            #expect(html.contains(#"<p>Guten <strong>Tag</strong><img src="https://img.example/a.jpg"></p>"#))
            #expect(html.contains("&lt;tag&gt;"))
            #expect(html.contains(#"href="/travels/feed.atom""#))
            #expect(html.contains("Alice &lt;i&gt;the&lt;/i&gt; author"))
            #expect(!html.contains("<script"))
            #expect(!html.contains("noindex"))
            #expect(home.headers[.xRobotsTag] == nil)

            let url = try #require(post["url"] as? String)
            let page = try await client.send(.get, url)
            #expect(page.status == .ok)
            #expect(page.text.contains("<em>danke</em>"))
            #expect(page.text.contains("&lt;script&gt;bob&lt;/script&gt;"))
            #expect(page.text.contains(#"href="/people/bob""#))
            #expect(!page.text.contains("<script"))
            #expect(try await client.send(.get, url + "-nope").status == .notFound)
            #expect(try await client.send(.get, "/travels/2026/13/uber-script-x-script").status == .notFound)
            #expect(try await client.send(.get, "/travels/abcd/11/uber-script-x-script").status == .notFound)
        }
    }

    @Test func unicodePermalinksArePercentEncodedAndResolve() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("blog", token: alice, language: "ru")
            let post = try await client.createPost("blog", token: alice, title: "Привет, мир")
            let url = try #require(post["url"] as? String)
            #expect(url.hasSuffix("/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82-%D0%BC%D0%B8%D1%80"))
            #expect(try await client.send(.get, url).status == .ok)
        }
    }

    @Test func theBlogHomePagesBackThroughOlderPosts() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice)
            for number in 1...12 { try await client.createPost("travels", token: alice, title: "Post number \(number)") }
            let first = try await client.send(.get, "/travels/").text
            #expect(first.contains("Post number 12") && first.contains("Post number 3"))
            #expect(!first.contains("Post number 2<"))
            let older = try #require(first.range(of: #"href="/travels/?before="#).map { first[$0.upperBound...].prefix { $0 != "\"" } })
            let second = try await client.send(.get, "/travels/?before=\(older)").text
            #expect(second.contains("Post number 2<") && second.contains("Post number 1<"))
            #expect(!second.contains("Older posts"))
        }
    }

    @Test func privateBlogsAreReadInTheBrowserWithTheSessionCookieOnly() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            _ = try await client.newIdentity("mallory")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            try await client.createBlog("diary", token: alice, visibility: "private")
            let post = try await client.createPost("diary", token: alice, title: "Dear diary")
            let url = try #require(post["url"] as? String)

            let missing = try await client.send(.get, "/no-such-blog/")
            for path in ["/diary/", url] {
                let anonymous = try await client.send(.get, path)
                #expect(anonymous.status == .notFound)
                #expect(!anonymous.text.contains("Dear diary"))
            }
            #expect(try await client.send(.get, "/diary/").text == missing.text.replacingOccurrences(of: "no-such-blog", with: "diary"))

            let bobCookie = try await client.signInCookie("bob")
            let malloryCookie = try await client.signInCookie("mallory")
            let asBob = try await client.send(.get, url, headers: [.cookie: bobCookie])
            #expect(asBob.status == .ok)
            #expect(asBob.text.contains("Dear diary"))
            #expect(asBob.text.contains("@bob"))
            #expect(asBob.headers[.xRobotsTag] == "noindex")
            #expect(try await client.send(.get, url, headers: [.cookie: malloryCookie]).status == .notFound)
            #expect(try await client.send(.get, url, headers: [.cookie: "ferry_session=forged"]).status == .notFound)

            // Signing out takes the form's token: another site's form cannot sign anyone out.
            let forced = try await client.executeRequest(
                uri: "/logout", method: .post, headers: [.cookie: bobCookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=" + FormTokenOfTest.forged)
            )
            #expect(forced.status == .forbidden)
            #expect(try await client.send(.post, "/logout", headers: [.cookie: bobCookie]).status == .forbidden)
            #expect(try await client.send(.get, url, headers: [.cookie: bobCookie]).status == .ok, "still signed in")
            let token = try #require(asBob.text.components(separatedBy: #"name="csrf" value=""#).dropFirst().first?.prefix { $0 != "\"" })
            #expect(token.count == 43)
            #expect(!asBob.text.contains(String(bobCookie.dropFirst("ferry_session=".count))), "the page never shows the session itself")

            // Signing out ends the session behind the cookie, not only the cookie.
            let out = try await client.executeRequest(
                uri: "/logout", method: .post, headers: [.cookie: bobCookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(token)")
            )
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.send(.get, url, headers: [.cookie: bobCookie]).status == .notFound)
        }
    }

    @Test func signInSetsAHardenedCookieAndRefusesOpenRedirects() async throws {
        try await withApp { client in
            _ = try await client.newIdentity("alice")
            let form = try await client.send(.get, "/login?next=/travels/")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"name="next" value="/travels/""#))
            #expect(form.headers[.xRobotsTag] == "noindex")

            let signedIn = try await postForm(client, "handle=alice&password=correct+horse&next=%2Ftravels%2F")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/travels/")
            let cookie = try #require(signedIn.headers[.setCookie])
            #expect(cookie.hasPrefix("ferry_session="))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))

            let behindTLS = try await postForm(client, "handle=alice&password=correct+horse", headers: [.xForwardedProto: "https"])
            #expect(behindTLS.headers[.setCookie]?.contains("Secure") == true)

            for next in ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2F%5Cevil.example", "javascript%3Aalert(1)"] {
                let response = try await postForm(client, "handle=alice&password=correct+horse&next=\(next)")
                #expect(response.headers[.location] == "/", "\(next)")
            }

            // Login CSRF: a form posted from another site has no token matching the browser's
            // cookie, and signs no one in.
            for (cookie, token) in [(nil, nil), (nil, FormTokenOfTest.forged), ("ferry_signin=\(FormTokenOfTest.forged)", "other")] as [(String?, String?)] {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                headers[.cookie] = cookie
                let forged = try await client.executeRequest(
                    uri: "/login", method: .post, headers: headers,
                    body: ByteBuffer(string: "handle=alice&password=correct+horse" + (token.map { "&csrf=\($0)" } ?? ""))
                )
                #expect(forged.status == .forbidden)
                #expect(forged.headers[.setCookie]?.contains("ferry_session") != true)
                #expect(forged.text.contains("This sign-in form has expired"))
            }
            #expect(form.headers[.setCookie]?.contains("SameSite=Strict") == true)
            #expect(form.headers[.setCookie]?.contains("HttpOnly") == true)

            let wrong = try await postForm(client, "handle=alice&password=wrong&next=%2F")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie]?.contains("ferry_session") != true)
            #expect(wrong.text.contains("The handle or the password is wrong."))
            #expect(try await postForm(client, "handle=%3Cscript%3E&password=x").text.contains("value=\"&lt;script&gt;\""))
        }
    }

    @Test func hiddenBlogsSayNoindexAndStayOutOfTheSitemap() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("travels", token: alice, title: "Travels")
            try await client.createBlog("notes", token: alice, visibility: "hidden", title: "Notes")
            try await client.createBlog("diary", token: alice, visibility: "private", title: "Diary")
            let visible = try await client.createPost("travels", token: alice, title: "Seen")
            let quiet = try await client.createPost("notes", token: alice, title: "Quiet")

            let notes = try await client.send(.get, "/notes/")
            #expect(notes.headers[.xRobotsTag] == "noindex")
            #expect(notes.text.contains(#"<meta name="robots" content="noindex">"#))
            let quietPage = try await client.send(.get, quiet["url"] as? String ?? "")
            #expect(quietPage.headers[.xRobotsTag] == "noindex")

            let robots = try await client.send(.get, "/robots.txt")
            #expect(robots.status == .ok)
            #expect(robots.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(robots.text.contains("Sitemap: \(siteURL)/sitemap.xml"))

            let sitemap = try await client.sitemapText()
            #expect(sitemap.contains("<loc>\(siteURL)/travels/</loc>"))
            #expect(sitemap.contains("<loc>\(siteURL)\(visible["url"] as? String ?? "")</loc>"))
            #expect(!sitemap.contains("/notes/"))
            #expect(!sitemap.contains("/diary/"))

            // The profile lists linked blogs that the visitor may read.
            try await client.createBlog("scraps", token: alice, title: "Scraps")
            for blog in ["travels", "notes", "diary"] { try await client.link(blog, token: alice) }
            let profile = try await client.send(.get, "/people/alice").text
            #expect(profile.contains(#"<a href="/travels/">Travels</a>"#))
            #expect(profile.contains(#"<a href="/notes/">Notes</a>"#))
            #expect(!profile.contains("Diary"))
            #expect(!profile.contains("Scraps"), "an unlinked blog is not tied to the identity")
            let ownView = try await client.send(.get, "/people/alice", headers: [.cookie: client.signInCookie("alice")]).text
            #expect(ownView.contains(#"<a href="/diary/">Diary</a>"#))
        }
    }

    private func postForm(_ client: some TestClientProtocol, _ form: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.postSignInForm(form, headers: headers)
    }
}

extension HTTPField.Name {
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}

enum FormTokenOfTest {
    /// A well-formed token no page gave out.
    static let forged = String(repeating: "A", count: 43)
}
