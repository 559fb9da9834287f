import FerryTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `HEAD` answers every route that answers `GET` (RFC 9110 §9.3.2): the same status and
/// header fields, `Content-Length` included, and no body.
@Suite struct HeadTests {
    @Test func everyGETRouteAnswersHEADAlike() async throws {
        try await withApp { client in
            try await client.signUp("alice")
            let token = try await client.signIn("alice")
            try await client.createBlog("notes", token: token)
            try await client.createBlog("closed", token: token, visibility: "private")
            let post = try await client.createPost("notes", token: token, title: "Hello")
            let permalink = try #require(post["url"] as? String)
            let cookie = try await client.signInCookie("alice")
            let anonymous: [String] = [
                "/", "/notes", "/notes?page=2", permalink, "/notes/feed.atom", "/notes/feed/2001-01.atom", "/notes/rsd.xml",
                "/notes/wlwmanifest.xml", "/people/alice", "/people/alice/activity.atom", "/sitemap.xml", "/sitemaps/posts-0.xml", "/sitemaps/blogs-0.xml",
                "/robots.txt", "/healthz",
                "/static/ferry.css", "/.well-known/webfinger?resource=acct:alice@ferry.test", "/api/blogs/notes", "/api/blogs/notes/posts",
                "/login", "/signup", "/move", "/help/desktop-editor", "/stream", "/me", "/closed", "/closed/feed.atom", "/nothing",
                "/people/nobody", "/media/0000.jpg", "/atompub/notes",
            ]
            let signedIn: [(String, HTTPFields)] = [
                ("/api/me", [.authorization: "Bearer \(token)"]), ("/api/me/stream", [.authorization: "Bearer \(token)"]),
                ("/api/me/stream.atom", [.authorization: "Bearer \(token)"]), ("/api/blogs/notes/websub", [.authorization: "Bearer \(token)"]),
                ("/closed", [.authorization: "Bearer \(token)"]), ("/me", [.cookie: cookie]), ("/contacts", [.cookie: cookie]),
                ("/me/blogs/notes/posts", [.cookie: cookie]),
            ]
            for (path, headers) in anonymous.map({ ($0, HTTPFields()) }) + signedIn {
                let get = try await client.executeRequest(uri: path, method: .get, headers: headers, body: nil)
                let head = try await client.executeRequest(uri: path, method: .head, headers: headers, body: nil)
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
                #expect(Self.comparable(head.headers) == Self.comparable(get.headers), "\(path)")
                #expect(head.headers[.contentLength] == get.headers[.contentLength] ?? String(get.body.readableBytes), "\(path)")
            }
        }
    }

    /// The fields that must match: all but the date, and a fresh form token's value.
    private static func comparable(_ headers: HTTPFields) -> [String] {
        headers.filter { $0.name != .date }.map { $0.name == .setCookie ? "\($0.name): \($0.value.prefix { $0 != "=" })" : "\($0.name): \($0.value)" }
            .sorted()
    }
}
