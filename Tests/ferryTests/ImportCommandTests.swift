import AsyncHTTPClient
import FerryCore
import FerrySeed
import FerryStore
import FerryTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite struct ImportCommandTests {
    let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/wordpress-theme-unit-test.wxr.xml").path

    func run(_ arguments: [String], in folder: URL, input: String? = nil) async throws -> (status: Int32, output: String, errors: String) {
        let process = try FerryProcess(
            arguments + ["--data", folder.appendingPathComponent("data").path, "--bcrypt-cost", "4"], in: folder,
            environment: ["FERRY_FETCH_MEDIA": "0"], input: input
        )
        let status = try await process.exitStatus()
        return (status, process.output, process.errors)
    }

    @Test func importsAnExportAndReportsWhatMovedAndWhatStayed() async throws {
        try await withTemporaryDirectory { folder in
            #expect(try await run(["seed", "--identities", "1", "--contacts", "0"], in: folder).status == 0)
            let declined = try await run(["import", fixture, "--owner", "user0000000", "--blog", "themes"], in: folder, input: "n\n")
            #expect(declined.status == 1)
            #expect(declined.output.contains("moves: 56 posts, 21 pages, 30 comments, 41 media files"))
            #expect(declined.output.contains("stays behind: 1 draft, 1 future, 70 nav menu item, 3 unapproved comment"))
            #expect(declined.output.contains("Nothing was changed."))

            let first = try await run(["import", fixture, "--owner", "user0000000", "--blog", "themes"], in: folder, input: "y\n")
            #expect(first.status == 0, "\(first.errors)")
            #expect(first.errors.contains("importing: 100% of the export read"))
            #expect(first.output.contains("Moved into /themes/: 56 posts, 21 pages, 30 comments, 0 photos, 0 videos, 0 sounds"))
            #expect(first.output.contains("stays behind: 1 draft, 1 future, 70 nav menu item, 3 unapproved comment"))

            let again = try await run(["import", fixture, "--owner", "user0000000", "--blog", "themes", "--merge", "--yes"], in: folder)
            #expect(again.output.contains("Moved into /themes/: 0 posts, 0 pages, 0 comments, 0 photos, 0 videos, 0 sounds; 0 old addresses"))
            #expect(again.output.contains("107 items were already there"))
        }
    }

    /// A merge run from the command line beside a running server shows in the server's feed
    /// at once: the server follows the changes other processes record.
    @Test func aMergeBesideTheRunningServerRefreshesItsFeed() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await run(["seed", "--identities", "1", "--contacts", "0"], in: folder)
            let first = folder.appendingPathComponent("first.xml")
            let second = folder.appendingPathComponent("second.xml")
            try Self.export(title: "Written before", id: 1).write(to: first, atomically: true, encoding: .utf8)
            try Self.export(title: "Merged while serving", id: 2).write(to: second, atomically: true, encoding: .utf8)
            #expect(try await run(["import", first.path, "--owner", "user0000000", "--blog", "desk", "--yes"], in: folder).status == 0)

            let server = try FerryProcess(["serve", "--port", "0", "--data", folder.appendingPathComponent("data").path], in: folder)
            defer { server.process.terminate() }
            let http = ServerClient(http: HTTPClient.shared, base: "http://127.0.0.1:\(try await server.listeningPort())")
            func feed() async throws -> String { String(decoding: try await http.send(.GET, "/desk/feed.atom").body, as: UTF8.self) }
            #expect(try await feed().contains("Written before"))

            let merged = try await run(["import", second.path, "--owner", "user0000000", "--blog", "desk", "--merge", "--yes"], in: folder)
            #expect(merged.status == 0, "\(merged.errors)")
            var fresh = false
            for _ in 0..<100 where !fresh {
                fresh = try await feed().contains("Merged while serving")
                if !fresh { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(fresh, "the server's feed shows the merged post within five seconds")
        }
    }

    /// A WordPress export of one post.
    static func export(title: String, id: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" \
        xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
        <channel><title>Desk</title><link>https://desk.example</link><wp:wxr_version>1.2</wp:wxr_version>
        <wp:base_site_url>https://desk.example</wp:base_site_url><wp:base_blog_url>https://desk.example</wp:base_blog_url>
        <item><title>\(title)</title><link>https://desk.example/?p=\(id)</link><pubDate>Wed, 02 Dec 2026 10:00:0\(id) +0000</pubDate>
        <guid isPermaLink="false">https://desk.example/?p=\(id)</guid><content:encoded><![CDATA[<p>\(title).</p>]]></content:encoded>
        <wp:post_id>\(id)</wp:post_id><wp:post_date_gmt>2026-12-02 10:00:0\(id)</wp:post_date_gmt><wp:post_name>post-\(id)</wp:post_name>
        <wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
        </channel></rss>
        """
    }

    /// The old host's name now points at ferry: once the operator approves the owner's claim,
    /// its permalinks, `?p=` links, root and feed answer 301 with the new absolute URL (before,
    /// nothing); ferry's own host is never redirected.
    @Test func oldAddressesRedirectPermanentlyOnceTheClaimIsApproved() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await run(["seed", "--identities", "1", "--contacts", "0"], in: folder)
            let imported = try await run(["import", fixture, "--owner", "user0000000", "--blog", "themes", "--yes"], in: folder)
            #expect(
                imported.output.contains(
                    "https://wpthemetestdata.wordpress.com/: its old addresses redirect once the old site is verified (ferry claims approve 1)"))
            #expect(imported.output.contains(#"or once its owner puts <meta name="ferry-verification" content="ferry-"#))
            let server = try FerryProcess(["serve", "--port", "0", "--data", folder.appendingPathComponent("data").path], in: folder)
            defer { server.process.terminate() }
            let port = try await server.listeningPort()
            let site = "http://127.0.0.1:\(port)"
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            defer { _ = client.shutdown() }
            func get(_ path: String, host: String) async throws -> (Int, String?) {
                var request = HTTPClientRequest(url: site + path)
                request.headers.replaceOrAdd(name: "Host", value: host)
                let response = try await client.execute(request, timeout: .seconds(30))
                return (Int(response.status.code), response.headers.first(name: "Location"))
            }
            let post = site + "/themes/2023/01/wp-6-1-font-size-scale"
            #expect(try await get("/wp-6-1-font-size-scale/", host: "wpthemetestdata.wordpress.com").0 == 404, "not before the claim is approved")
            let listed = try await run(["claims", "list"], in: folder).output
            // The test data also holds posts whose links are on two other blogs: claimed apart.
            #expect(
                listed.split(separator: "\n").sorted() == [
                    "1\twaiting\thttps://wpthemetestdata.wordpress.com/\t@user0000000", "2\twaiting\thttps://wptest.io/\t@user0000000",
                    "3\twaiting\thttps://noeltest.wordpress.com/\t@user0000000",
                ])
            #expect(try await run(["claims", "approve", "1"], in: folder).output.contains("Approved: https://wpthemetestdata.wordpress.com/"))
            #expect(
                try await run(["claims", "list"], in: folder).output.hasSuffix("1\tverified (operator)\thttps://wpthemetestdata.wordpress.com/\t@user0000000\n")
            )
            for (path, host, location) in [
                ("/wp-6-1-font-size-scale/", "wpthemetestdata.wordpress.com", post),
                ("/wp-6-1-font-size-scale", "WPThemeTestData.WordPress.com.", post),
                ("/?p=163", "wpthemetestdata.wordpress.com", post),
                ("/", "wpthemetestdata.wordpress.com", site + "/themes/"),
                ("/feed/", "wpthemetestdata.wordpress.com", site + "/themes/feed.atom"),
            ] {
                let (status, target) = try await get(path, host: host)
                #expect(status == 301, "\(host)\(path)")
                #expect(target == location, "\(host)\(path)")
            }
            #expect(try await get("/no-such-post/", host: "wpthemetestdata.wordpress.com").0 == 404)
            #expect(try await get("/themes/", host: "127.0.0.1:\(port)").0 == 200)
        }
    }

    /// Into a private blog, an old address leads on only for its readers (a feed reader sending
    /// its credentials to the old address); anyone else gets what an unknown address gets, since
    /// the new address would name the post.
    @Test func oldAddressesIntoAPrivateBlogLeadOnlyItsReadersOn() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await run(["seed", "--identities", "3", "--contacts", "0"], in: folder)
            _ = try await run(["import", fixture, "--owner", "user0000000", "--blog", "themes", "--yes", "--trust-old-addresses"], in: folder)
            try await withProcessStore(folder, data: folder.appendingPathComponent("data")) { database in
                let owner = try #require(try await database.identity(handle: Handle(validating: "user0000000")))
                let contact = try #require(try await database.identity(handle: Handle(validating: "user0000001")))
                _ = try await database.updateBlog(BlogSlug(trusted: "themes"), by: owner.id, with: BlogUpdate(visibility: .private))
                _ = try await database.invite(from: owner.id, to: contact.handle)
                _ = try await database.acceptInvitation(of: contact.id, from: owner.handle)
            }
            let server = try FerryProcess(["serve", "--port", "0", "--data", folder.appendingPathComponent("data").path], in: folder)
            defer { server.process.terminate() }
            let site = "http://127.0.0.1:\(try await server.listeningPort())"
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            defer { _ = client.shutdown() }
            func get(_ path: String, as handle: String?) async throws -> (Int, String?) {
                var request = HTTPClientRequest(url: site + path)
                request.headers.replaceOrAdd(name: "Host", value: "wpthemetestdata.wordpress.com")
                if let handle {
                    request.headers.add(name: "Authorization", value: "Basic " + Data("\(handle):\(Seeder.password)".utf8).base64EncodedString())
                }
                let response = try await client.execute(request, timeout: .seconds(30))
                return (Int(response.status.code), response.headers.first(name: "Location"))
            }
            for path in ["/wp-6-1-font-size-scale/", "/?p=163", "/", "/feed/"] {
                for handle in ["user0000000", "user0000001"] {
                    let (status, location) = try await get(path, as: handle)
                    #expect(status == 301 && location?.hasPrefix(site + "/themes/") == true, "\(handle) \(path)")
                }
                // Answered as if nothing were recorded: the site's own page for `/`, 404 elsewhere.
                for handle in [nil, "user0000002"] {
                    let (status, location) = try await get(path, as: handle)
                    #expect(status == (path.hasPrefix("/?") || path == "/" ? 200 : 404) && location == nil, "\(handle ?? "anonymous") \(path)")
                }
            }
        }
    }

    @Test func badInputEndsWithOneReadableLineAndAFailure() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await run(["seed", "--identities", "1", "--contacts", "0"], in: folder)
            let notAnExport = folder.appendingPathComponent("notes.txt")
            try Data("just some text".utf8).write(to: notAnExport)
            let cases: [[String]] = [
                ["import", notAnExport.path, "--owner", "user0000000", "--blog", "x1", "--yes"],
                ["import", folder.appendingPathComponent("missing.xml").path, "--owner", "user0000000", "--blog", "x2", "--yes"],
                ["import", fixture, "--owner", "nobody", "--blog", "x3", "--yes"],
                ["import", fixture, "--owner", "user0000000", "--blog", "api", "--yes"],
                ["import", fixture, "--owner", "user0000000", "--blog", "not-mine", "--merge", "--yes"],
            ]
            for arguments in cases {
                let result = try await run(arguments, in: folder)
                #expect(result.status != 0, "\(arguments)")
                let lines = result.errors.split(separator: "\n").filter { $0.hasPrefix("Error:") }
                #expect(lines.count == 1, "\(arguments): \(result.errors)")
            }
        }
    }
}
