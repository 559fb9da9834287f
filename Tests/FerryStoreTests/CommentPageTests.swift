import FerryCore
import FerryTestSupport
import Foundation
import GRDB
import Testing

@testable import FerryStore

/// A page of comments is one range of one index, so a post with a hundred thousand comments
/// shows its first page as cheaply as a post with ten.
@Suite struct CommentPageTests {
    @Test(arguments: [false, true])
    func aPageOfCommentsReadsOneIndexRangeInOrder(after: Bool) async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let plan = try await database.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + AppDatabase.commentsSQL(where: AppDatabase.commentPage(after: after)), arguments: [1, 2, 50])
                    .map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("USING INDEX comment_post_time") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") || $0.hasPrefix("SCAN c") }, "\(plan)")
        }
    }

    @Test func pagesFollowEachOtherInWritingOrder() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
            let blog = try await database.createBlog(
                slug: BlogSlug(trusted: "notes"), owner: alice, title: "Notes", language: LanguageTag(trusted: "en"), visibility: .public
            )
            let post = try await database.createPost(in: blog.slug, by: alice, draft: PostDraft(title: "P", content: "<p>x</p>", tags: []))
            let start = Date(timeIntervalSince1970: 1_300_000_000)
            // Written in reverse time order, as a Blogger import inserts them.
            for minute in (0..<7).reversed() {
                _ = try await database.addComment(
                    to: post.id, in: blog.id, by: .visitor(name: "v\(minute)"), content: "c\(minute)", at: start.addingTimeInterval(Double(minute) * 60)
                )
            }
            var seen: [String] = []
            var after: CommentID?
            while true {
                let page = try await database.comments(of: post.id, after: after, limit: 3)
                seen += page.map(\.content)
                guard page.count == 3, let last = page.last else { break }
                after = last.id
            }
            #expect(seen == (0..<7).map { "c\($0)" })
            #expect(try await database.comments(of: post.id, after: CommentID(999_999), limit: 3).isEmpty)
        }
    }
}
