import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Pages readers see are rendered once per change and kept: each kind of change makes exactly
/// the pages that show it fresh, for every visibility, and the others keep their validators.
@Suite struct PageCacheTests {
    /// What one reader got at one path.
    struct Seen: Equatable {
        var status: HTTPResponse.Status
        var etag: String?
        var lastModified: String?
        var body: String
    }

    /// The pages a test watches, each as one reader sees it: `nil` is anonymous.
    struct Watch {
        var views: [(name: String, path: String, cookie: String?)] = []

        func look(_ client: some TestClientProtocol) async throws -> [String: Seen] {
            var seen: [String: Seen] = [:]
            for view in views {
                var headers: HTTPFields = [:]
                if let cookie = view.cookie { headers[.cookie] = cookie }
                let response = try await client.send(.get, view.path, headers: headers)
                seen[view.name] = Seen(
                    status: response.status, etag: response.headers[.eTag], lastModified: response.headers[.lastModified], body: response.text)
            }
            return seen
        }

        /// The views `change` changed. Every view it left alone answers the same bytes with the
        /// same validators, and every anonymous one it changed has a new `ETag`.
        func changed(by change: () async throws -> Void, on client: some TestClientProtocol) async throws -> Set<String> {
            let before = try await look(client)
            try await change()
            let after = try await look(client)
            var changed = Set<String>()
            for view in views where before[view.name] != after[view.name] {
                changed.insert(view.name)
                if view.cookie == nil, after[view.name]?.status == .ok {
                    #expect(after[view.name]?.etag != before[view.name]?.etag, "\(view.name): new bytes, new ETag")
                }
            }
            return changed
        }
    }

    @Test func eachChangeMakesExactlyThePagesThatShowItFresh() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            let carol = try await client.newIdentity("carol")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            var posts: [String: [String: Any]] = [:]
            for (slug, visibility) in [("open", "public"), ("quiet", "hidden"), ("closed", "private")] {
                try await client.createBlog(slug, token: alice, visibility: visibility)
                try await client.link(slug, token: alice)
                for title in ["One", "Two"] { posts["\(slug)/\(title)"] = try await client.createPost(slug, token: alice, title: title) }
            }
            try await client.createBlog("other", token: carol)
            try await client.link("other", token: carol)
            posts["other/One"] = try await client.createPost("other", token: carol, title: "One")
            func url(_ post: String) -> String { posts[post]?["url"] as? String ?? "" }
            func id(_ post: String) -> Int { posts[post]?["id"] as? Int ?? 0 }
            let bobsCookie = try await client.signInCookie("bob")

            var watch = Watch()
            for slug in ["open", "quiet", "other"] { watch.views.append(("/\(slug)/", "/\(slug)/", nil)) }
            for post in ["open/One", "open/Two", "quiet/One", "quiet/Two", "other/One"] { watch.views.append((post, url(post), nil)) }
            for person in ["alice", "bob", "carol"] { watch.views.append(("@\(person)", "/people/\(person)", nil)) }
            watch.views += [
                ("bob /closed/", "/closed/", bobsCookie), ("bob closed/One", url("closed/One"), bobsCookie),
                ("bob closed/Two", url("closed/Two"), bobsCookie), ("bob /open/", "/open/", bobsCookie), ("bob @alice", "/people/alice", bobsCookie),
            ]
            let comment = #"{"content":"<p>Nice</p>"}"#

            #expect(try await watch.changed(by: {}, on: client) == [], "nothing changed, nothing is new")
            #expect(
                try await watch.changed(by: { _ = try await client.createPost("open", token: alice, title: "Three") }, on: client)
                    == ["/open/", "bob /open/"])
            #expect(
                try await watch.changed(
                    by: {
                        _ = try await client.send(
                            .put, "/api/blogs/open/posts/\(id("open/One"))", token: alice, json: #"{"title":"One, edited","content":"<p>x</p>"}"#)
                    }, on: client) == ["/open/", "open/One", "bob /open/"])
            #expect(
                try await watch.changed(
                    by: { _ = try await client.send(.post, "/api/blogs/open/posts/\(id("open/Two"))/comments", token: bob, json: comment) }, on: client)
                    == ["/open/", "open/Two", "bob /open/"])
            #expect(
                try await watch.changed(by: { _ = try await client.createPost("closed", token: alice, title: "Three") }, on: client) == ["bob /closed/"])
            #expect(
                try await watch.changed(
                    by: { _ = try await client.send(.post, "/api/blogs/closed/posts/\(id("closed/Two"))/comments", token: bob, json: comment) }, on: client)
                    == ["bob /closed/", "bob closed/Two"])
            #expect(
                try await watch.changed(by: { _ = try await client.send(.patch, "/api/blogs/quiet", token: alice, json: #"{"title":"Quieter"}"#) }, on: client)
                    == ["/quiet/", "quiet/One", "quiet/Two", "@alice", "bob @alice"])
            #expect(
                try await watch.changed(by: { _ = try await client.send(.patch, "/api/blogs/closed", token: alice, json: #"{"title":"Shut"}"#) }, on: client)
                    == ["bob /closed/", "bob closed/One", "bob closed/Two", "bob @alice"], "strangers' view of the profile does not list it")
            #expect(
                try await watch.changed(by: { _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"bio":"Maths"}"#) }, on: client)
                    == ["@alice", "bob @alice"])
            let everyPageOfAlice: Set = [
                "/open/", "open/One", "open/Two", "/quiet/", "quiet/One", "quiet/Two", "@alice", "bob /closed/", "bob closed/One", "bob closed/Two",
                "bob /open/", "bob @alice",
            ]
            #expect(
                try await watch.changed(by: { _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"displayName":"Alice L."}"#) }, on: client)
                    == everyPageOfAlice)
            #expect(
                try await watch.changed(
                    by: { _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"photoURL":"https://photos.example/a.jpg"}"#) }, on: client)
                    == everyPageOfAlice)
            #expect(
                try await watch.changed(by: { _ = try await client.send(.patch, "/api/me", token: bob, json: #"{"displayName":"Bob B."}"#) }, on: client)
                    == ["open/Two", "bob closed/Two", "@bob"], "a commenter's name is on the posts they commented on")
            #expect(
                try await watch.changed(by: { _ = try await client.createPost("other", token: carol, title: "Two") }, on: client) == ["/other/"])
            #expect(
                try await watch.changed(by: { _ = try await client.send(.delete, "/api/blogs/other/messenger-link", token: carol) }, on: client)
                    == ["/other/", "other/One", "@carol"], "unlinked, the blog no longer leads to the profile, nor the profile to it")
            #expect(
                try await watch.changed(
                    by: { _ = try await client.send(.patch, "/api/blogs/open", token: alice, json: #"{"visibility":"hidden"}"#) }, on: client)
                    == ["/open/", "open/One", "open/Two", "bob /open/"], "hidden pages ask not to be indexed")
            let turnedPrivate = try await watch.look(client)
            #expect(
                try await watch.changed(
                    by: { _ = try await client.send(.patch, "/api/blogs/quiet", token: alice, json: #"{"visibility":"private"}"#) }, on: client)
                    == ["/quiet/", "quiet/One", "quiet/Two", "@alice"])
            let nowPrivate = try await watch.look(client)
            for name in ["/quiet/", "quiet/One", "quiet/Two"] { #expect(nowPrivate[name]?.status == .notFound, "\(name)") }
            #expect(turnedPrivate["@alice"]?.body.contains("/quiet/") == true && nowPrivate["@alice"]?.body.contains("/quiet/") == false)
            #expect(
                try await watch.changed(
                    by: { _ = try await client.send(.patch, "/api/blogs/quiet", token: alice, json: #"{"visibility":"public"}"#) }, on: client)
                    == ["/quiet/", "quiet/One", "quiet/Two", "@alice"])
            #expect(
                try await watch.changed(by: { _ = try await client.send(.delete, "/api/blogs/open/posts/\(id("open/One"))", token: alice) }, on: client)
                    == ["/open/", "open/One", "bob /open/"])
            #expect(try await client.send(.get, url("open/One")).status == .notFound)
        }
    }

    /// The page without its sign-in bar, which is all that differs between readers.
    static func withoutBar(_ html: String) -> String {
        guard let start = html.range(of: #"<nav class="account""#), let end = html.range(of: "</nav>", range: start.upperBound..<html.endIndex) else {
            return html
        }
        return html.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "")
    }

    @Test func aKeptPageAnswers304AndIsServedToNoOneWhoMayNotReadIt() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            _ = try await client.newIdentity("carol")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            try await client.createBlog("open", token: alice)
            try await client.createBlog("closed", token: alice, visibility: "private")
            _ = try await client.createPost("open", token: alice, title: "Hello")
            _ = try await client.createPost("closed", token: alice, title: "Secret")

            let anonymous = try await client.send(.get, "/open/")
            #expect(anonymous.status == .ok)
            let etag = try #require(anonymous.headers[.eTag])
            let lastModified = try #require(anonymous.headers[.lastModified])
            #expect(anonymous.headers[.cacheControl] == "no-cache")
            #expect(anonymous.headers[.vary] == "Cookie")
            #expect(anonymous.headers[.contentSecurityPolicy] != nil)
            let validators: [HTTPFields] = [[.ifNoneMatch: etag], [.ifNoneMatch: "W/\(etag), \"other\""], [.ifModifiedSince: lastModified]]
            for validator in validators {
                let again = try await client.send(.get, "/open/", headers: validator)
                #expect(again.status == .notModified)
                #expect(again.body.readableBytes == 0)
                #expect(again.headers[.eTag] == etag)
                #expect(again.headers[.cacheControl] == "no-cache")
                #expect(again.headers[.vary] == "Cookie")
                #expect(again.headers[.contentSecurityPolicy] == nil, "a 304 repeats only what updates the copy the client holds")
            }
            #expect(try await client.send(.get, "/open/", headers: [.ifNoneMatch: "\"stale\""]).status == .ok)

            // Signed in, the same page with the reader's bar, for them alone.
            let bobs = try await client.signInCookie("bob")
            let asBob = try await client.send(.get, "/open/", headers: [.cookie: bobs, .ifNoneMatch: etag])
            #expect(asBob.status == .ok, "a signed-in reader's page is not the anonymous one")
            #expect(asBob.text.contains(#"Signed in as <a href="/people/bob">@bob</a>"#))
            #expect(!asBob.text.contains("Join ferry"))
            #expect(asBob.headers[.cacheControl] == "private, no-cache")
            #expect(asBob.headers[.eTag] == nil)
            #expect(Self.withoutBar(asBob.text) == Self.withoutBar(anonymous.text))
            #expect(anonymous.text.contains("Join ferry"))

            // A private blog's page, kept once its reader has seen it, is theirs and its
            // owner's only: not anyone's without a session, nor a stranger's, nor a forged one's.
            let closed = try await client.send(.get, "/closed/", headers: [.cookie: bobs])
            #expect(closed.status == .ok && closed.text.contains("Secret"))
            #expect(closed.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex")
            #expect(try await client.send(.get, "/closed/", headers: [.cookie: try await client.signInCookie("alice")]).text.contains("@alice"))
            let strangers: [HTTPFields] = [[:], [.cookie: try await client.signInCookie("carol")], [.cookie: "ferry_session=forged"]]
            for headers in strangers {
                let refused = try await client.send(.get, "/closed/", headers: headers)
                #expect(refused.status == .notFound)
                #expect(!refused.text.contains("Secret"))
            }
            let head = try await client.executeRequest(uri: "/closed/", method: .head, headers: [:], body: nil)
            #expect(head.status == .notFound, "a private page kept for its readers is not anyone's to HEAD")
            // Signed out again (the cookie no longer names a session), bob is anonymous.
            let out = try await client.executeRequest(
                uri: "/logout", method: .post, headers: [.cookie: bobs, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(Self.csrf(in: closed.text))"))
            #expect(out.status == .seeOther)
            #expect(try await client.send(.get, "/closed/", headers: [.cookie: bobs]).status == .notFound)
            #expect(try await client.send(.get, "/open/", headers: [.cookie: bobs]).headers[.eTag] == etag)
        }
    }

    static func csrf(in html: String) -> String {
        guard let start = html.range(of: #"name="csrf" value=""#) else { return "" }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    /// Requests for the site's own host with no query find kept pages in front of the router
    /// (the test client's host is made the site's); what they are answered must be what the
    /// routes answer (a query sends a request on to them).
    @Test func aKeptPageFoundBeforeRoutingIsTheRoutesAnswer() async throws {
        try await withApp(configure: { $0.baseURL = "http://localhost" }) { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("open", token: alice)
            try await client.createBlog("closed", token: alice, visibility: "private")
            _ = try await client.createPost("open", token: alice, title: "Hello")
            _ = try await client.createPost("closed", token: alice, title: "Secret")
            let own: HTTPFields = [:]
            let cookie = try await client.signInCookie("alice")
            for path in ["/open/", "/people/alice", "/sitemap.xml"] {
                let routed = try await client.send(.get, path + "?via=router")
                let kept = try await client.send(.get, path, headers: own)
                #expect(kept.status == .ok && kept.body == routed.body, "\(path)")
                #expect(Self.withoutDate(kept.headers) == Self.withoutDate(routed.headers), "\(path)")
                let etag = try #require(kept.headers[.eTag])
                var conditional = own
                conditional[.ifNoneMatch] = etag
                let unchanged = try await client.send(.get, path, headers: conditional)
                #expect(unchanged.status == .notModified && unchanged.body.readableBytes == 0, "\(path)")
                let head = try await client.executeRequest(uri: path, method: .head, headers: own, body: nil)
                #expect(head.status == .ok && head.body.readableBytes == 0, "\(path)")
                #expect(head.headers[.contentLength] == String(kept.body.readableBytes), "\(path)")
            }
            var signedIn = own
            signedIn[.cookie] = cookie
            #expect(try await client.send(.get, "/open/", headers: signedIn).text.contains("Signed in as"))
            #expect(try await client.send(.get, "/closed/", headers: signedIn).text.contains("Secret"))
            let closed = try await client.send(.get, "/closed/", headers: own)
            #expect(closed.status == .notFound && !closed.text.contains("Secret"), "a private page kept for its readers is no one else's")
            #expect(try await client.executeRequest(uri: "/closed/", method: .head, headers: own, body: nil).status == .notFound)
            _ = try await client.createPost("open", token: alice, title: "Later")
            #expect(try await client.send(.get, "/open/", headers: own).text.contains("Later"), "a stale page goes on to its route")
        }
    }

    private static func withoutDate(_ headers: HTTPFields) -> [String] {
        headers.filter { $0.name != .date }.map { "\($0.name): \($0.value)" }.sorted()
    }

    @Test func aChangeOnOneNodeMakesTheOthersPagesFresh() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { first in
                try await withApp(data: folder) { second in
                    let alice = try await first.newIdentity("alice")
                    try await first.createBlog("news", token: alice)
                    try await first.link("news", token: alice)
                    _ = try await first.createPost("news", token: alice, title: "First")
                    for path in ["/news/", "/people/alice"] { #expect(try await second.send(.get, path).status == .ok) }

                    _ = try await first.createPost("news", token: alice, title: "Second")
                    try await Self.waitUntil { try await second.send(.get, "/news/").text.contains("Second") }
                    _ = try await first.send(.patch, "/api/me", token: alice, json: #"{"bio":"Writes news"}"#)
                    try await Self.waitUntil { try await second.send(.get, "/people/alice").text.contains("Writes news") }
                    _ = try await first.send(.patch, "/api/blogs/news", token: alice, json: #"{"visibility":"private"}"#)
                    try await Self.waitUntil { try await second.send(.get, "/news/").status == .notFound }
                    try await Self.waitUntil { try await !second.send(.get, "/people/alice").text.contains("/news/") }
                }
            }
        }
    }

    static func waitUntil(_ condition: () async throws -> Bool) async throws {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(15)
        while try await !condition() {
            guard clock.now < end else { throw HarnessError(message: "the other node never showed the change") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
