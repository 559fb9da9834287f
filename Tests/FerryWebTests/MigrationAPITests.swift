import FerryCore
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct MigrationAPITests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/wordpress-theme-unit-test.wxr.xml")

    func upload(_ client: some TestClientProtocol, _ body: Data, query: String, token: String) async throws -> TestResponse {
        try await client.executeRequest(
            uri: "/api/migrations?\(query)", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/xml"],
            body: ByteBuffer(bytes: body)
        )
    }

    /// Polls the migration until it leaves queued/running.
    func finished(_ client: some TestClientProtocol, _ id: String, token: String) async throws -> [String: Any] {
        // A deadline, not a count of polls: under the full suite on PostgreSQL a poll takes longer.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let state = try await client.send(.get, "/api/migrations/\(id)", token: token).json()
            if let status = state["status"] as? String, status == "done" || status == "failed" { return state }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError(message: "migration \(id) did not finish")
    }

    @Test func anOwnerAnalysesConfirmsAndFollowsAMigration() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice")
            let bob = try await client.newIdentity("bob")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"photoURL":"https://photos.example/a.jpg"}"#)
            let profile = try await client.send(.get, "/api/me", token: alice).text
            let contacts = try await client.send(.get, "/api/me/contacts", token: alice).text

            let analysed = try await upload(client, try Data(contentsOf: Self.fixture), query: "blog=themes&mode=new", token: alice)
            #expect(analysed.status == .accepted)
            let migration = try analysed.json()
            let id = try #require(migration["id"] as? String)
            #expect(migration["status"] as? String == "awaiting-confirmation")
            let summary = try #require(migration["summary"] as? [String: Any])
            #expect(summary["posts"] as? Int == 56)
            #expect(summary["comments"] as? Int == 30)
            #expect((summary["leftBehind"] as? [String: Int])?["draft"] == 1)
            // Nothing is written before confirmation.
            #expect(try await client.send(.get, "/api/blogs/themes").status == .notFound)
            #expect(try await client.send(.get, "/api/migrations/\(id)", token: bob).status == .notFound)
            #expect(try await client.send(.post, "/api/migrations/\(id)/confirm", token: bob).status == .notFound)

            let confirmed = try await client.send(.post, "/api/migrations/\(id)/confirm", token: alice)
            #expect(confirmed.status == .accepted)
            #expect(try await client.send(.post, "/api/migrations/\(id)/confirm", token: alice).status == .conflict)
            let done = try await finished(client, id, token: alice)
            #expect(done["status"] as? String == "done")
            let report = try #require(done["report"] as? [String: Any])
            #expect(report["posts"] as? Int == 56)
            #expect(report["pages"] as? Int == 21)
            #expect(report["comments"] as? Int == 30)
            #expect((done["progress"] as? [String: Int])?["done"] == (done["progress"] as? [String: Int])?["total"])

            let posts = try await client.send(.get, "/api/blogs/themes/posts?limit=200").json()["posts"] as? [[String: Any]]
            #expect(posts?.count == 56, "pages are not posts")
            let feed = try await client.send(.get, "/themes/feed.atom")
            #expect(feed.status == .ok)
            // A page lives at its own address, linked from the blog's pages, with its comments;
            // its old address leads there, and it is no entry of the feed.
            let home = try await client.send(.get, "/themes/").text
            #expect(home.contains(#"<a href="/themes/pages/about">About The Tests</a>"#))
            let about = try await client.send(.get, "/themes/pages/about")
            #expect(about.status == .ok)
            #expect(about.text.contains("<h1>About The Tests</h1>"))
            #expect(!about.text.contains("<time datetime="), "a page shows no date")
            let commented = try await client.send(.get, "/themes/pages/page-with-comments").text
            #expect(commented.components(separatedBy: "class=\"comment ").count - 1 == 3, "four, one not approved")
            #expect(!feed.text.contains("/themes/pages/"))
            #expect(try await client.sitemapText().contains("/themes/pages/about"), "public pages are in the sitemap")
            #expect(try await client.send(.get, "/themes/pages/nothing-here").status == .notFound)
            #expect(feed.text.contains("<id>https://wpthemetestdata.wordpress.com/wp-6-1-font-size-scale/</id>"))

            let redirects = try await client.send(.get, "/api/blogs/themes/redirects", token: alice).json()["redirects"] as? [[String: String]]
            #expect(
                redirects?.contains {
                    $0["from"] == "wpthemetestdata.wordpress.com/wp-6-1-font-size-scale" && $0["to"] == "/themes/2023/01/wp-6-1-font-size-scale"
                } == true)
            #expect(redirects?.contains { $0["from"] == "wpthemetestdata.wordpress.com/?p=163" } == true)
            #expect(redirects?.contains { $0["from"] == "wpthemetestdata.wordpress.com/" && $0["to"] == "/themes/" } == true)
            #expect(redirects?.contains { $0["from"] == "wpthemetestdata.wordpress.com/about" && $0["to"] == "/themes/pages/about" } == true)
            #expect(try await client.send(.get, "/api/blogs/themes/redirects", token: bob).status == .forbidden)

            #expect(try await client.send(.get, "/api/me", token: alice).text == profile)
            #expect(try await client.send(.get, "/api/me/contacts", token: alice).text == contacts)
        }
    }

    /// Runs an uploaded export to its end and answers the finished migration.
    func migrate(_ client: some TestClientProtocol, _ body: Data, query: String, token: String) async throws -> [String: Any] {
        let analysed = try await upload(client, body, query: query, token: token)
        let id = try #require(try analysed.json()["id"] as? String, "\(analysed.status) \(analysed.text)")
        _ = try await client.send(.post, "/api/migrations/\(id)/confirm", token: token)
        return try await finished(client, id, token: token)
    }

    @Test func theOwnerChoosesTheNewBlogsTitleLanguageAndVisibility() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                let bob = try await client.newIdentity("bob")
                let export = try Data(contentsOf: Self.fixture)
                let chosen = "blog=diary&mode=new&title=My%20Diary&language=fr-CA&visibility=private"
                #expect(try await migrate(client, export, query: chosen, token: alice)["status"] as? String == "done")
                let diary = try await client.send(.get, "/api/blogs/diary", token: alice).json()
                #expect(diary["title"] as? String == "My Diary")
                #expect(diary["language"] as? String == "fr-CA")
                #expect(diary["visibility"] as? String == "private")
                #expect(try await client.send(.get, "/api/blogs/diary", token: bob).status == .notFound)
                #expect(try await client.send(.get, "/diary/feed.atom").status == .unauthorized)
                #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("feeds/diary.atom").path))

                // Without choices: the export's title and language, public.
                #expect(try await migrate(client, export, query: "blog=themes&mode=new", token: alice)["status"] as? String == "done")
                let themes = try await client.send(.get, "/api/blogs/themes").json()
                #expect(themes["title"] as? String == "Theme Unit Test Data")
                #expect(themes["language"] as? String == "en")
                #expect(themes["visibility"] as? String == "public")
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("feeds/themes.atom").path))

                let refused: [(String, HTTPResponse.Status, String)] = [
                    ("blog=fresh&mode=new&visibility=secret", .unprocessableContent, "visibility"),
                    ("blog=fresh&mode=new&language=%3Cb%3E", .unprocessableContent, "language"),
                    ("blog=fresh&mode=new&title=", .unprocessableContent, "title"),
                    ("blog=themes&mode=merge&visibility=private", .unprocessableContent, "visibility"),
                ]
                for (query, status, field) in refused {
                    let response = try await upload(client, export, query: query, token: alice)
                    #expect(response.status == status, "\(query)")
                    #expect(try response.problemField() == field, "\(query)")
                }
                #expect(try await client.send(.get, "/api/blogs/fresh").status == .notFound)
                #expect(try await client.send(.get, "/api/blogs/themes").json()["visibility"] as? String == "public")
            }
        }
    }

    /// Blogger lists comments newest first, each reply pointing at its parent's feed address:
    /// the post's page shows each thread oldest first, replies under what they answer.
    @Test func aMovedBloggerPostShowsItsCommentThreads() async throws {
        let export = BloggerFixture.export(comments: [
            BloggerFixture.comment(2004, minute: 40, "Fourth, on the post"),
            BloggerFixture.comment(2003, minute: 30, "Third, answering the second", replyTo: 2002),
            BloggerFixture.comment(2002, minute: 20, "Second, answering the first", replyTo: 2001),
            BloggerFixture.comment(2001, minute: 10, "First, on the post"),
        ])
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            #expect(try await migrate(client, Data(export.utf8), query: "blog=spaces&mode=new", token: alice)["status"] as? String == "done")
            let page = try await client.send(.get, "/spaces/2010/05/hello").text
            let order = ["First, on the post", "Second, answering the first", "Third, answering the second", "Fourth, on the post"]
                .map { page.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order == order.sorted { ($0 ?? page.endIndex) < ($1 ?? page.endIndex) })
            #expect(page.components(separatedBy: "class=\"comment indent-0\"").count - 1 == 2)
            #expect(page.contains("class=\"comment indent-1\"") && page.contains("class=\"comment indent-2\""))
            #expect(page.components(separatedBy: "class=\"reply-to\"").count - 1 == 2)
        }
    }

    @Test func theOwnerDownloadsAnOfflineCopyThatFerryCanImportAgain() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let mallory = try await client.newIdentity("mallory")
            try await client.createBlog("travels", token: alice)
            let post = try await client.createPost("travels", token: alice, title: "Crème ]]> brûlée", content: "<p>a ]]&gt; b</p>", tags: ["food"])
            _ = try await client.send(.post, "/api/blogs/travels/posts/\(post["id"] ?? 0)/comments", token: mallory, json: #"{"content":"yum"}"#)

            let export = try await client.send(.get, "/api/blogs/travels/export", token: alice)
            #expect(export.status == .ok)
            #expect(export.headers[.contentDisposition]?.contains("travels.wordpress.xml") == true)
            #expect(export.text.contains("<guid isPermaLink=\"false\">\(post["entryId"] as? String ?? "")</guid>"))
            #expect(try await client.send(.get, "/api/blogs/travels/export", token: mallory).status == .forbidden)
            #expect(try await client.send(.get, "/api/blogs/travels/export").status == .unauthorized)

            let again = try await upload(client, export.data, query: "blog=copy&mode=new", token: alice)
            let summary = try again.json()["summary"] as? [String: Any]
            #expect(summary?["posts"] as? Int == 1)
            #expect(summary?["comments"] as? Int == 1)
            let id = try #require(try again.json()["id"] as? String)
            _ = try await client.send(.post, "/api/migrations/\(id)/confirm", token: alice)
            #expect(try await finished(client, id, token: alice)["status"] as? String == "done")
            let copied = try await client.send(.get, "/api/blogs/copy/posts").json()["posts"] as? [[String: Any]]
            #expect(copied?.first?["title"] as? String == "Crème ]]> brûlée")
            #expect(copied?.first?["entryId"] as? String == post["entryId"] as? String)
            #expect(copied?.first?["content"] as? String == "<p>a ]]&gt; b</p>")
        }
    }

    @Test func afterTheCutoffNewMigrationsAreGoneAndBeforeItOwnersAreTold() async throws {
        try await withApp(configure: { $0.migrationWindow = .init(closesAt: Date().addingTimeInterval(-60)) }) { client in
            let alice = try await client.newIdentity("alice")
            let late = try await upload(client, try Data(contentsOf: Self.fixture), query: "blog=themes&mode=new", token: alice)
            #expect(late.status == .gone)
            #expect((try late.json()["detail"] as? String)?.hasPrefix("migrations closed at ") == true)
            #expect(try await client.send(.get, "/api/me", token: alice).json()["migrationDeadline"] is NSNull)
        }
        try await withApp(configure: { $0.migrationWindow = .init(closesAt: Date().addingTimeInterval(10.5 * 86_400)) }) { client in
            let alice = try await client.newIdentity("alice")
            let deadline = try await client.send(.get, "/api/me", token: alice).json()["migrationDeadline"] as? [String: Any]
            #expect(deadline?["daysLeft"] as? Int == 10)
            let analysed = try await upload(client, Data("<rss><channel/></rss>".utf8), query: "blog=fresh&mode=new", token: alice)
            #expect(analysed.status == .accepted)
            #expect((try analysed.json()["deadline"] as? [String: Any])?["daysLeft"] as? Int == 10)

            let signIn = try await client.postSignInForm("handle=alice&password=correct+horse")
            let cookie = String(try #require(signIn.headers[.setCookie]).prefix { $0 != ";" })
            #expect(try await client.send(.get, "/people/alice", headers: [.cookie: cookie]).text.contains("10 days left to move your blog"))
            #expect(!(try await client.send(.get, "/people/alice").text.contains("days left")))
        }
    }

    @Test func unreadableExportsAndWrongTargetsAreRefusedAndLeaveNothing() async throws {
        try await withApp(configure: { $0.maxImportBytes = 4_096 }) { client in
            let alice = try await client.newIdentity("alice")
            let mallory = try await client.newIdentity("mallory")
            try await client.createBlog("taken", token: mallory)
            let bomb = Data(
                #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><title>&b;</title></item></channel></rss>"#
                    .utf8)
            let cases: [(Data, String, HTTPResponse.Status, String?)] = [
                (bomb, "blog=fresh&mode=new", .unprocessableContent, "body"),
                (
                    Data(
                        #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>"#
                            .utf8), "blog=fresh&mode=new", .unprocessableContent, "body"
                ),
                (Data("<rss><channel><item><title>cut".utf8), "blog=fresh&mode=new", .unprocessableContent, "body"),
                (Data(), "blog=fresh&mode=new", .unprocessableContent, "body"),
                (Data("<html/>".utf8), "blog=fresh&mode=new", .unprocessableContent, "body"),
                (Data([0xFF, 0xFE, 0x00, 0x3C]), "blog=fresh&mode=new", .unprocessableContent, "body"),
                (Data(repeating: 0x20, count: 5_000), "blog=fresh&mode=new", .contentTooLarge, nil),
                (Data("<rss/>".utf8), "blog=taken&mode=new", .conflict, "blog"),
                (Data("<rss/>".utf8), "blog=taken&mode=merge", .forbidden, nil),
                (Data("<rss/>".utf8), "blog=nowhere&mode=merge", .notFound, nil),
                (Data("<rss/>".utf8), "blog=api&mode=new", .unprocessableContent, "blog"),
                (Data("<rss/>".utf8), "blog=fresh&mode=replace", .unprocessableContent, "mode"),
            ]
            for (body, query, status, field) in cases {
                let response = try await upload(client, body, query: query, token: alice)
                #expect(response.status == status, "\(query) \(body.prefix(40))")
                #expect(try response.problemField() == field, "\(query)")
            }
            #expect(try await client.send(.post, "/api/migrations?blog=fresh&mode=new", json: "<rss/>").status == .unauthorized)
            #expect(try await client.send(.get, "/api/blogs/fresh").status == .notFound)
        }
    }
}
