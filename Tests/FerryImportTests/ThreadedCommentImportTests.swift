import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// Replies keep their threads whatever order the export lists comments in.
@Suite struct ThreadedCommentImportTests {
    /// Blogger lists comments newest first.
    static let newestFirst = BloggerFixture.export(comments: [
        BloggerFixture.comment(2004, minute: 40, "Another thought"),
        BloggerFixture.comment(2003, minute: 30, "Agreed with Ann", replyTo: 2002),
        BloggerFixture.comment(2002, minute: 20, "Thanks!", replyTo: 2001),
        BloggerFixture.comment(2001, minute: 10, "Nice post"),
    ])

    @Test(arguments: StoreBackend.available) func bloggerRepliesListedBeforeTheirParentsKeepTheirThreads(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let report = try importExport(Self.newestFirst, into: "spaces", owner: alice, database: database)
            #expect(report.posts == 1 && report.comments == 4)
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "spaces")))
            let post = try #require(try await database.posts(in: blog.id, limit: 10).first)
            let comments = try await database.comments(of: post.id, limit: 1_000)
            let byText = Dictionary(uniqueKeysWithValues: comments.map { ($0.content, $0) })
            #expect(byText["Thanks!"]?.parentID == byText["Nice post"]?.id)
            #expect(byText["Agreed with Ann"]?.parentID == byText["Thanks!"]?.id)
            #expect(byText["Nice post"]?.parentID == nil && byText["Another thought"]?.parentID == nil)
            let threaded = FerryCore.Comment.threaded(comments)
            #expect(threaded.map(\.comment.content) == ["Nice post", "Thanks!", "Agreed with Ann", "Another thought"])
            #expect(threaded.map(\.depth) == [0, 1, 2, 0])
            #expect(post.commentCount == 4)
            try await expectIntact(database)

            // Again: nothing added, threads unchanged.
            let again = try importExport(Self.newestFirst, into: "spaces2", owner: alice, database: database)
            #expect(again.comments == 4)
        }
    }

    @Test(arguments: StoreBackend.available) func aWordPressReplyBeforeItsParentInTheSameItemIsThreaded(backend: StoreBackend) async throws {
        func comment(_ id: Int, parent: Int, _ text: String) -> String {
            "<wp:comment><wp:comment_id>\(id)</wp:comment_id><wp:comment_parent>\(parent)</wp:comment_parent><wp:comment_content>\(text)</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_date_gmt>2010-01-0\(id) 10:00:00</wp:comment_date_gmt></wp:comment>"
        }
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><link>https://old.example</link>
            <item><title>Talked about</title><link>https://old.example/talked/</link><wp:post_id>1</wp:post_id>
            \(comment(3, parent: 2, "third"))\(comment(2, parent: 1, "second"))\(comment(1, parent: 0, "first"))\(comment(4, parent: 77, "orphan"))
            </item></channel></rss>
            """
        try await withStore(on: backend) { database, alice in
            #expect(try importExport(xml, into: "talk", owner: alice, database: database).comments == 4)
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "talk")))
            let post = try #require(try await database.posts(in: blog.id, limit: 10).first)
            let threaded = FerryCore.Comment.threaded(try await database.comments(of: post.id, limit: 1_000))
            #expect(threaded.map(\.comment.content) == ["first", "second", "third", "orphan"])
            #expect(threaded.map(\.depth) == [0, 1, 2, 0])
        }
    }
}
