import FerryPostgres
import FerryTestSupport
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FerryStore

/// `/sitemap.xml` is an index over parts of at most 50,000 URLs; a change moves the date of the
/// parts that show it and of no other.
@Suite struct SitemapTests {
    /// Each `<loc>` of a sitemap document with its `<lastmod>`.
    static func dates(_ xml: String) -> [String: String] {
        var dates: [String: String] = [:]
        for piece in xml.components(separatedBy: "<loc>").dropFirst() {
            let location = String(piece.prefix { $0 != "<" })
            let lastmod = piece.components(separatedBy: "<lastmod>").dropFirst().first?.prefix { $0 != "<" }
            dates[location.replacingOccurrences(of: siteURL, with: "")] = lastmod.map(String.init)
        }
        return dates
    }

    @Test func theIndexListsPartsOf50000IdsAndAChangeMovesOnlyItsPart() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                try await client.createBlog("open", token: alice)
                try await client.createBlog("closed", token: alice, visibility: "private")
                let first = try await client.createPost("open", token: alice, title: "First")
                // A post whose id is past the first 50,000 lands in the second part.
                try await Self.insertFarPost(data: folder)
                let index = try await client.send(.get, "/sitemap.xml")
                #expect(index.headers[.contentType] == "application/xml; charset=utf-8")
                #expect(index.text.contains(#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#))
                let parts = Self.dates(index.text)
                #expect(Set(parts.keys) == ["/sitemaps/blogs-0.xml", "/sitemaps/posts-0.xml", "/sitemaps/posts-1.xml"])
                let near = try await client.send(.get, "/sitemaps/posts-0.xml")
                let far = try await client.send(.get, "/sitemaps/posts-1.xml")
                #expect(Set(Self.dates(near.text).keys) == [try #require(first["url"] as? String)])
                #expect(Set(Self.dates(far.text).keys) == ["/open/2026/01/far-away"])
                #expect(Set(Self.dates(try await client.send(.get, "/sitemaps/blogs-0.xml").text).keys) == ["/open/"])

                // A private blog's post moves nothing: not even a date says it happened.
                _ = try await client.createPost("closed", token: alice, title: "Secret")
                let unchanged = try await client.send(.get, "/sitemap.xml", headers: [.ifNoneMatch: try #require(index.headers[.eTag])])
                #expect(unchanged.status == .notModified)

                // A comment on the first post moves its date, its part's, and no other part's.
                try await Task.sleep(for: .seconds(1))  // dates are to the second
                let comment = #"{"content":"<p>Nice</p>"}"#
                _ = try await client.send(.post, "/api/blogs/open/posts/\(first["id"] ?? 0)/comments", token: alice, json: comment)
                let after = Self.dates(try await client.send(.get, "/sitemap.xml").text)
                #expect(after["/sitemaps/posts-0.xml"] != parts["/sitemaps/posts-0.xml"])
                #expect(after["/sitemaps/posts-1.xml"] == parts["/sitemaps/posts-1.xml"])
                let nearAfter = try await client.send(.get, "/sitemaps/posts-0.xml")
                #expect(Self.dates(nearAfter.text).values.first != Self.dates(near.text).values.first, "the post's date is its newest comment's")
                let farAgain = try await client.send(.get, "/sitemaps/posts-1.xml", headers: [.ifNoneMatch: try #require(far.headers[.eTag])])
                #expect(farAgain.status == .notModified)

                // The owner's new photo is on every page of the blog, though no blog changed.
                try await Task.sleep(for: .seconds(1))
                _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"photoURL":"https://photos.example/a.jpg"}"#)
                let afterPhoto = Self.dates(try await client.send(.get, "/sitemap.xml").text)
                for part in ["/sitemaps/blogs-0.xml", "/sitemaps/posts-0.xml", "/sitemaps/posts-1.xml"] { #expect(afterPhoto[part] != after[part], "\(part)") }
                let farAfterPhoto = try await client.send(.get, "/sitemaps/posts-1.xml")
                #expect(Self.dates(farAfterPhoto.text)["/open/2026/01/far-away"] != Self.dates(far.text)["/open/2026/01/far-away"])

                // Turned private, the blog leaves every part at once.
                _ = try await client.send(.patch, "/api/blogs/open", token: alice, json: #"{"visibility":"private"}"#)
                #expect(!(try await client.sitemapText()).contains("/open/"))

                for path in ["/sitemaps/posts-99.xml", "/sitemaps/nonsense.xml", "/sitemaps/posts--1.xml", "/sitemaps/feeds-0.xml"] {
                    #expect(try await client.send(.get, path).status == .notFound, "\(path)")
                }
            }
        }
    }

    /// Writes a post with the id 50,001 into the blog `open`, past what a test could create.
    static func insertFarPost(data folder: URL) async throws {
        let columns = "id, blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, kind"
        let values = "50001, id, 'far', '2026-01', 'far-away', 'Far away', '<p>x</p>', '[]'"
        if let schema = StoreBackend.webDatabase(for: folder)?.schema {
            let date = "'2026-01-02 00:00:00+00'"
            try await StoreBackend.sql(
                "INSERT INTO \(schema).post (\(columns)) SELECT \(values), \(date), \(date), 'post' FROM \(schema).blog WHERE slug = 'open'")
            return
        }
        let database = try AppDatabase.open(directory: folder)
        defer { try? database.close() }
        let date = "'2026-01-02 00:00:00.000'"
        try await database.writer.write { db in
            try db.execute(sql: "INSERT INTO post (\(columns)) SELECT \(values), \(date), \(date), 'post' FROM blog WHERE slug = 'open'")
        }
    }
}
