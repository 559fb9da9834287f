import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// What attackers and broken clients send, at every entry point: each gets a clear 4xx
/// problem (never a 5xx), and nothing in the store changes. Hostile exports are covered where
/// they are read (`RSSExportReaderTests`, `ExportPackageTests`) and uploaded (`MigrationAPITests`).
@Suite struct HostileInputTests {
    /// Alice with a blog, a post and a comment; Bob her contact. Returns their tokens and the post's id.
    static func world(_ client: some TestClientProtocol) async throws -> (alice: String, bob: String, post: Int) {
        let alice = try await client.newIdentity("alice")
        let bob = try await client.newIdentity("bob")
        try await client.connect("alice", token: alice, with: "bob", token: bob)
        try await client.createBlog("travels", token: alice)
        try await client.link("travels", token: alice)
        let post = try await client.createPost("travels", token: alice, title: "First")
        let id = try #require(post["id"] as? Int)
        _ = try await client.send(.post, "/api/blogs/travels/posts/\(id)/comments", token: bob, json: #"{"content":"Nice"}"#)
        return (alice, bob, id)
    }

    /// Everything the store holds about the world, as its owners and readers see it.
    static func snapshot(_ client: some TestClientProtocol, _ tokens: (alice: String, bob: String, post: Int)) async throws -> [String] {
        var texts: [String] = []
        for (path, token) in [
            ("/api/me", tokens.alice), ("/api/me", tokens.bob), ("/api/me/contacts", tokens.alice), ("/api/me/blogs", tokens.alice),
            ("/api/blogs/travels", tokens.alice), ("/api/blogs/travels/posts", tokens.alice),
            ("/api/blogs/travels/posts/\(tokens.post)/comments", tokens.alice), ("/api/me/stream", tokens.bob),
        ] {
            texts.append(try await client.send(.get, path, token: token).text)
        }
        texts.append(try await client.send(.get, "/travels/feed.atom").text)
        return texts
    }

    /// A 4xx answer in `application/problem+json`.
    static func isRefusal(_ response: TestResponse) -> Bool {
        (400..<500).contains(response.status.code) && response.headers[.contentType] == "application/problem+json"
    }

    static let entryPoints: [(HTTPRequest.Method, String)] = [
        (.post, "/api/identities"), (.post, "/api/sessions"), (.patch, "/api/me"), (.post, "/api/me/contacts"), (.post, "/api/blogs"),
        (.patch, "/api/blogs/travels"), (.post, "/api/blogs/travels/posts"), (.put, "/api/blogs/travels/posts/POST"),
        (.post, "/api/blogs/travels/posts/POST/comments"), (.put, "/api/blogs/travels/messenger-link"),
    ]

    /// Bodies no entry point may accept.
    static let bodies: [(name: String, bytes: Data)] = [
        ("empty", Data()),
        ("cut JSON", Data(#"{"title":"#.utf8)),
        ("not an object", Data("[1,2,3]".utf8)),
        ("nested 100,000 deep", Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)),
        ("nested objects", Data((String(repeating: #"{"a":"#, count: 20_000) + "1" + String(repeating: "}", count: 20_000)).utf8)),
        ("invalid UTF-8", Data(#"{"title":""#.utf8) + Data([0xFF, 0xFE]) + Data(#"","handle":"x","content":"x"}"#.utf8)),
        ("overlong UTF-8", Data(#"{"title":""#.utf8) + Data([0xC0, 0xAF]) + Data(#"","handle":"x","content":"x"}"#.utf8)),
        ("wrong types", Data(#"{"title":5,"handle":[],"content":{},"password":null,"displayName":true,"slug":1.5}"#.utf8)),
        ("ten megabytes", Data((#"{"title":""# + String(repeating: "a", count: 10 << 20) + #""}"#).utf8)),
    ]

    @Test func everyJSONEntryPointRefusesHostileBodiesAndChangesNothing() async throws {
        try await withApp { client in
            let world = try await Self.world(client)
            let before = try await Self.snapshot(client, world)
            var answers: [String] = []
            for (method, template) in Self.entryPoints {
                let path = template.replacingOccurrences(of: "POST", with: "\(world.post)")
                for body in Self.bodies {
                    let response = try await client.executeRequest(
                        uri: path, method: method,
                        headers: [.authorization: "Bearer \(world.alice)", .contentType: "application/json"],
                        body: ByteBuffer(bytes: body.bytes)
                    )
                    let detail = (try? response.json()["detail"] as? String) ?? nil
                    if !Self.isRefusal(response) || detail?.isEmpty != false {
                        answers.append("\(method) \(path) \(body.name): \(response.status.code) \(response.text.prefix(120))")
                    }
                }
            }
            #expect(answers == [], "not a clear 4xx problem")
            #expect(try await Self.snapshot(client, world) == before)
        }
    }

    /// Fields that must be refused when they hold what they may not: control characters, NUL,
    /// scripts in addresses, SQL where a name is expected.
    @Test func fieldsRefuseWhatTheyMayNotHoldAndChangeNothing() async throws {
        try await withApp { client in
            let world = try await Self.world(client)
            let before = try await Self.snapshot(client, world)
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.post, "/api/identities", #"{"handle":"eve\u0000","password":"correct horse","displayName":"Eve"}"#),
                (.post, "/api/identities", #"{"handle":"x'; DROP TABLE identity; --","password":"correct horse","displayName":"Eve"}"#),
                (.post, "/api/identities", #"{"handle":"../../etc","password":"correct horse","displayName":"Eve"}"#),
                (.patch, "/api/me", #"{"photoURL":"javascript:alert(1)"}"#),
                (.patch, "/api/me", #"{"photoURL":"data:image/svg+xml,<svg onload=alert(1)>"}"#),
                (.patch, "/api/me", #"{"website":"javascript:alert(1)"}"#),
                (.post, "/api/me/contacts", #"{"handle":"bob' OR '1'='1"}"#),
                (.post, "/api/blogs", #"{"slug":"../api","title":"x","language":"en","visibility":"public"}"#),
                (.post, "/api/blogs", #"{"slug":"new","title":"x","language":"en\"><script>","visibility":"public"}"#),
                (.patch, "/api/blogs/travels", #"{"visibility":"public' OR 1=1 --"}"#),
                (.post, "/api/blogs/travels/posts", #"{"title":"","content":"<p>x</p>","tags":[]}"#),
                (.post, "/api/blogs/travels/posts/\(world.post)/comments", #"{"content":"<script>only a script</script>"}"#),
            ]
            var answers: [String] = []
            for (method, path, json) in cases {
                let response = try await client.send(method, path, token: world.alice, json: json)
                if !Self.isRefusal(response) {
                    answers.append("\(method) \(path) \(json): \(response.status.code)")
                }
            }
            #expect(answers == [], "accepted, or not a clear 4xx problem")
            #expect(try await Self.snapshot(client, world) == before)
        }
    }

    /// Scripts in every field that ends up in a page or a feed are inert wherever they show.
    @Test func scriptsInEveryRenderedFieldStayInert() async throws {
        try await withApp { client in
            let world = try await Self.world(client)
            let script = #"<script>alert(1)</script><img src=x onerror=alert(1)>"#
            let escapedScript = script.replacingOccurrences(of: "\"", with: "\\\"")
            _ = try await client.send(
                .patch, "/api/me", token: world.alice, json: #"{"displayName":"A\#(escapedScript)","bio":"\#(escapedScript)","location":"\#(escapedScript)"}"#)
            _ = try await client.send(.patch, "/api/blogs/travels", token: world.alice, json: #"{"title":"T\#(escapedScript)"}"#)
            let post = try await client.createPost(
                "travels", token: world.alice, title: "P\(script)",
                content:
                    #"<p onclick="x()">a<svg onload=alert(1)></svg><iframe src="javascript:alert(1)"></iframe><a href="javascript:alert(1)">l</a><img src="javascript:alert(1)"></p>"#,
                tags: [script]
            )
            let id = try #require(post["id"] as? Int)
            _ = try await client.send(
                .post, "/api/blogs/travels/posts/\(id)/comments", token: world.bob, json: #"{"content":"\#(escapedScript)<a href=\"javascript:x\">y</a>"}"#)
            let path = try #require((post["url"] as? String).flatMap { URL(string: $0)?.path })
            let cookie = try await client.signInCookie("bob")
            let basic = "Basic \(Data("bob:correct horse".utf8).base64EncodedString())"
            var surfaces: [String: String] = [:]
            for page in ["/people/alice", "/travels/", path, "/travels/feed.atom", "/people/alice/activity.atom", "/sitemap.xml", "/stream"] {
                surfaces[page] = try await client.send(.get, page, headers: [.cookie: cookie]).text
            }
            surfaces["stream.atom"] = try await client.send(.get, "/api/me/stream.atom", headers: [.authorization: basic]).text
            // In the stream's JSON, names are plain text (a client escapes them); only the HTML
            // values (`summary`, `contentMap`) are markup.
            let items = try await client.send(.get, "/api/me/stream", token: world.bob).json()["orderedItems"] as? [[String: Any]] ?? []
            surfaces["stream JSON"] = items.compactMap { $0["object"] as? [String: Any] }
                .flatMap { [$0["summary"] as? String ?? ""] + (($0["contentMap"] as? [String: String]) ?? [:]).values }
                .joined(separator: "\n")
            #expect(surfaces["/travels/"]?.contains("alert(1)") == true, "the payload reached the page, as text")
            #expect(surfaces["stream JSON"]?.contains("<p>a") == true)
            for (surface, body) in surfaces {
                let lowered = body.lowercased()
                for live in ["<script", "<iframe", "<svg", "\"javascript:", "=javascript:"] {
                    #expect(!lowered.contains(live), "\(live) is live on \(surface)")
                }
                // A tag (attribute values in double quotes, as ferry writes them) with an event handler.
                let handler = /<[a-z][a-z0-9]*(?:\s+[a-z:-]+(?:="[^"]*")?)*\s+on[a-z]+\s*=/
                #expect(lowered.firstMatch(of: handler) == nil, "an event handler is live on \(surface)")
            }
        }
    }

    /// Tokens, cursors and paths made up or tampered with: refused with 4xx, nothing served.
    @Test func tamperedTokensCursorsAndPathsAreRefused() async throws {
        try await withApp { client in
            let world = try await Self.world(client)
            let forged = String(world.alice.dropLast()) + (world.alice.last == "A" ? "B" : "A")
            var answers: [String] = []
            let requests: [(String, String?)] = [
                ("/api/me", forged), ("/api/me", world.alice + "A"), ("/api/me", "x' OR '1'='1"),
                ("/api/me/contacts?after=%00", world.alice), ("/api/me/contacts?after=bob'%20OR%201=1", world.alice),
                ("/api/me/contacts?limit=-1", world.alice), ("/api/blogs/travels/posts?before=abc", world.alice),
                ("/api/blogs/travels/posts?before=-1", world.alice), ("/api/me/stream?before=1.AAAA", world.bob),
                ("/media/..%2F..%2Fetc%2Fpasswd", nil), ("/media/%2e%2e/ferry.sqlite", nil), ("/static/../data/ferry.sqlite", nil),
                ("/travels/..%2f..%2fapi/me", nil), ("/people/..%2Fapi", nil), ("/%00/", nil),
            ]
            for (path, token) in requests {
                let response = try await client.send(.get, path, token: token)
                if !(400..<500).contains(response.status.code) || response.text.contains("SQLite format") || response.text.contains("root:") {
                    answers.append("\(path): \(response.status.code)")
                }
            }
            #expect(answers == [])
        }
    }
}
