import FerryTestSupport
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FerryStore

/// A browser gets error pages in the site's layout; API clients keep problem+json.
@Suite struct ErrorPageTests {
    static let browser: HTTPFields = [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]

    @Test func browsersGetPagesAndAPIClientsProblems() async throws {
        try await withApp { client in
            try await client.signUp("alice")
            let alice = try await client.signIn("alice")
            try await client.createBlog("closed", token: alice, visibility: "private")
            try await client.signUp("bob")
            let bob = try await client.signInCookie("bob")

            let missing = try await client.send(.get, "/nothing", headers: Self.browser)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(missing.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex")
            #expect(missing.text.contains("<h1>Not found</h1>"))
            #expect(missing.text.contains("there is no blog at &#39;nothing&#39;"))
            #expect(missing.text.contains(#"<link rel="stylesheet" href="/static/ferry.css"#))
            let unrouted = try await client.send(.get, "/no/such/page/here/at/all", headers: Self.browser)
            #expect(unrouted.status == .notFound)
            #expect(unrouted.text.contains("there is no GET /no/such/page/here/at/all"))
            // A private blog is as absent to a stranger's browser as to anyone.
            var strangers = Self.browser
            strangers[.cookie] = bob
            let closed = try await client.send(.get, "/closed", headers: strangers)
            #expect(closed.status == .notFound)
            #expect(closed.text.contains("<h1>Not found</h1>"))
            #expect(!closed.text.contains("private"))
            // A feed that needs credentials still challenges, in HTML for a browser.
            let feed = try await client.send(.get, "/closed/feed.atom", headers: Self.browser)
            #expect(feed.status == .unauthorized)
            #expect(feed.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            #expect(feed.headers[.contentType] == "text/html; charset=utf-8")

            for (path, headers) in [("/nothing", HTTPFields()), ("/api/blogs/nothing", Self.browser), ("/atompub/nothing", Self.browser)] {
                let problem = try await client.send(.get, path, headers: headers)
                #expect(problem.headers[.contentType] == "application/problem+json", "\(path)")
            }
        }
    }

    @Test func aServerErrorPageSaysNothingOfTheInternals() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder, configure: onSQLite) { client in
                try await client.signUp("alice")
                try await client.createBlog("odd", token: try await client.signIn("alice"))
            }
            let database = try AppDatabase.open(directory: folder)
            try await database.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON; UPDATE blog SET visibility = 'sideways' WHERE slug = 'odd'")
            }
            try await withApp(data: folder, configure: onSQLite) { client in
                let page = try await client.send(.get, "/odd", headers: Self.browser)
                #expect(page.status == .internalServerError)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.text.contains("something went wrong on our side"))
                #expect(!page.text.contains("sideways"))
            }
        }
    }

    @Test func aKnownPathWithAMethodItDoesNotAnswerIs405WithAllow() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("open", token: alice)
            let post = try await client.createPost("open", token: alice, title: "Hello")
            let postURL = try #require(post["url"] as? String)
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.delete, "/people/alice", "GET, HEAD"), (.post, "/open/", "GET, HEAD"), (.put, postURL, "GET, HEAD"),
                (.patch, "/open/feed.atom", "GET, HEAD"), (.post, "/open/feed/2020-01.atom", "GET, HEAD"), (.delete, "/sitemap.xml", "GET, HEAD"),
                (.put, "/api/me", "GET, HEAD, PATCH"), (.get, "/api/me/contacts/bob/accept", "POST"),
            ]
            for (method, path, allow) in cases {
                let refused = try await client.send(method, path, token: alice)
                #expect(refused.status == .methodNotAllowed, "\(method) \(path)")
                #expect(refused.headers[.allow] == allow, "\(method) \(path)")
                #expect(try refused.problemField() == nil)
                #expect(try refused.json()["detail"] as? String == "\(method) is not allowed on \(path); it answers \(allow)")
                for allowed in allow.split(separator: ", ") {
                    let answer = try await client.send(HTTPRequest.Method(String(allowed))!, path, token: alice)
                    #expect(answer.status != .methodNotAllowed, "\(allowed) \(path) is answered")
                }
            }
            let page = try await client.send(.post, "/people/alice", headers: Self.browser)
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers[.allow] == "GET, HEAD")
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            // A path no route has stays unknown, whatever the method.
            #expect(try await client.send(.post, "/no/such/page/here/at/all").status == .notFound)
            #expect(try await client.send(.get, "/open/no-such-post").status == .notFound)
        }
    }
}
