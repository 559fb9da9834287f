import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// The writes an import makes, on each backend: PostgreSQL's are held and sent with `COPY`, so
/// what it decides itself (slugs, ids, escaping) must come out as SQLite's do.
@Suite struct ImportBatchTests {
    static let settings = (title: "Batch", language: LanguageTag(trusted: "en"))

    /// Tabs, line ends, backslashes and the rest of Unicode arrive exactly as given, and times
    /// keep their milliseconds. (Before 1582 SQLite's dates are read back in the Julian
    /// calendar, days off; PostgreSQL's are exact.)
    @Test(arguments: StoreBackend.available) func whatIsWrittenIsWhatIsRead(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let title = "Tab\there, back\\slash, \\N and \\t as text, quote \" and ' — ünïcödé 🚢"
            let content = "<p>line one\nline two\r\nback\\slash \\. \\\\ and a tab\t!</p>"
            let dated = Date(timeIntervalSince1970: 1_700_000_000.123)
            let ancient = try #require(UTCDate.date(year: backend == .postgres ? 1 : 1700, month: 3, day: 4, hour: 5, minute: 6, second: 7))
            let (first, second) = try database.importIntoBlog(BlogSlug(trusted: "batch"), owner: alice, createWith: Self.settings) { batch in
                let post = try #require(
                    try batch.insertPost(
                        PostDraft(title: title, content: content, tags: ["a\tb", "c\\d"]), entryID: "e\t1\\", publishedAt: dated,
                        slugSource: "slug", commentCount: 1))
                let old = try #require(
                    try batch.insertPost(
                        PostDraft(title: "Old", content: "<p>old</p>", tags: []), entryID: "e2", publishedAt: ancient, slugSource: "old",
                        commentCount: 0))
                _ = try batch.insertComment(
                    on: post.id, sourceID: "c\n1", parent: nil, authorName: "Ann\tO'Neil \\", authorURL: nil, content: content, at: dated)
                return (post.id, old.id)
            }
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "batch")))
            let posts = try await database.posts(in: blog.id, limit: 10)
            let post = try #require(posts.first { $0.id == first })
            #expect(post.title == title && post.content == content && post.tags == ["a\tb", "c\\d"] && post.entryID == "e\t1\\")
            #expect(abs(post.publishedAt.timeIntervalSince(dated)) < 0.000_5 && post.commentCount == 1)
            #expect(posts.first { $0.id == second }?.publishedAt == ancient)
            let comment = try #require(try await database.comments(of: first, limit: 10).first)
            #expect(comment.author.displayName == "Ann\tO'Neil \\" && comment.content == content)
            #expect(abs(comment.createdAt.timeIntervalSince(dated)) < 0.000_5)
        }
    }

    /// Titles shared within a month are numbered in turn; a page's slug is also free among
    /// every page of the blog; an entry imported before is not inserted again.
    @Test(arguments: StoreBackend.available) func slugsAreNumberedAsTheStoreNumbersThem(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let march = try #require(UTCDate.date(year: 2024, month: 3, day: 1, hour: 0, minute: 0, second: 0))
            let may = try #require(UTCDate.date(year: 2024, month: 5, day: 1, hour: 0, minute: 0, second: 0))
            let slugs = try database.importIntoBlog(BlogSlug(trusted: "batch"), owner: alice, createWith: Self.settings) { batch in
                var slugs: [String] = []
                for (number, (date, kind)) in [(march, PostKind.post), (march, .post), (march, .post), (may, .post), (may, .page), (march, .page)]
                    .enumerated()
                {
                    let post = try batch.insertPost(
                        PostDraft(title: "Same", content: "<p>x</p>", tags: []), entryID: "e\(number)", publishedAt: date, slugSource: "Same",
                        commentCount: 0, kind: kind)
                    slugs.append(post?.slug.rawValue ?? "none")
                }
                let again = try batch.insertPost(
                    PostDraft(title: "Same", content: "<p>x</p>", tags: []), entryID: "e0", publishedAt: may, slugSource: "Same", commentCount: 0)
                slugs.append(again?.slug.rawValue ?? "none")
                return slugs
            }
            #expect(slugs == ["same", "same-2", "same-3", "same", "same-2", "same-4", "none"])
        }
    }

    /// A date no month can name (year 0, as a hostile or broken export may give) is no date:
    /// the post is dated at the import, and says so, and its blog reads as any other.
    @Test(arguments: StoreBackend.available) func aDateBeforeYearOneIsNoDate(backend: StoreBackend) async throws {
        let rss = """
            <?xml version="1.0"?><rss version="2.0"><channel><title>Old</title><link>https://old.example/</link>
            <item><title>Before time</title><guid>https://old.example/before</guid><pubDate>Sat, 04 Mar 0000 05:06:07 +0000</pubDate>
            <description>&lt;p&gt;hello&lt;/p&gt;</description></item></channel></rss>
            """
        try await withStore(on: backend) { database, alice in
            let report = try importExport(rss, into: "old", owner: alice, database: database)
            #expect(report.posts == 1)
            #expect(report.warnings == ["'Before time' had no date; it is dated at the import"])
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "old")))
            let post = try #require(try await database.posts(in: blog.id, limit: 10).first)
            #expect(abs(post.publishedAt.timeIntervalSinceNow) < 600)
        }
    }

    /// Rows go to PostgreSQL while the import reads on; rows it refuses (here a comment on a
    /// post that does not exist) still fail the import, when it next waits, and nothing of it stays.
    @Test(.enabled(if: StoreBackend.postgresAddress != nil)) func rowsPostgreSQLRefusesFailTheImportWhole() async throws {
        try await withStore(on: .postgres) { database, alice in
            let filler = String(repeating: "x", count: 2_000)
            let imported = Result {
                try database.importIntoBlog(BlogSlug(trusted: "batch"), owner: alice, createWith: Self.settings) { batch in
                    _ = try batch.insertComment(
                        on: PostID(Int64.max), sourceID: "c1", parent: nil, authorName: "Ann", authorURL: nil, content: "<p>lost</p>", at: Date())
                    for number in 0..<3_000 {
                        _ = try batch.insertPost(
                            PostDraft(title: "P\(number)", content: "<p>\(filler)</p>", tags: []), entryID: "e\(number)", publishedAt: Date(),
                            slugSource: "p", commentCount: 0)
                    }
                }
            }
            #expect(throws: (any Error).self) { try imported.get() }
            let blog = try await database.blog(slug: BlogSlug(trusted: "batch"))
            #expect(blog == nil)
        }
    }
}
