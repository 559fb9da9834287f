import FerryCore
import Foundation
import GRDB

/// Inserts posts with its statements prepared once: an import inserts every post through one.
final class PostInserter {
    private let slugIsTaken: DirectStatement
    private let numberedSlugs: DirectStatement
    private let insertion: DirectStatement
    private let db: Database

    init(db: Database) throws {
        slugIsTaken = try DirectStatement("SELECT 1 FROM post WHERE blogId = ? AND month = ? AND slug = ?", in: db)
        numberedSlugs = try DirectStatement("SELECT slug FROM post WHERE blogId = ? AND month = ? AND slug > ? AND slug < ?", in: db)
        // A post whose entry id the blog already has is not inserted again (`insert` says so).
        insertion = try DirectStatement("""
            INSERT INTO post (blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, commentCount)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (blogId, entryId) DO NOTHING
            """, in: db)
        self.db = db
    }

    /// Inserts a post dated `publishedAt` with `commentCount` comments to come; its slug comes
    /// from `slugSource`, and its feed entry id is `entryID` (an imported post's source id) or a
    /// new UUID URN. Nil when the blog already has a post with that entry id.
    func insert(
        in blog: BlogID, draft: PostDraft, entryID: String?, publishedAt: Date, slugSource: String, commentCount: Int = 0
    ) throws -> Post? {
        let month = PostMonth(containing: publishedAt)
        let slug = try freeSlug(for: slugSource, blog: blog.rawValue, month: month)
        let entryID = entryID ?? "urn:uuid:\(UUID().uuidString.lowercased())"
        let stored = CivilDay(containing: publishedAt).storedText
        try insertion.execute(
            .integer(blog.rawValue), .text(entryID), .text(month.key), .text(slug.rawValue), .text(draft.title), .text(draft.content),
            .text(JSONText.array(draft.tags)), .text(stored), .text(stored), .integer(Int64(commentCount))
        )
        guard db.changesCount > 0 else { return nil }
        return Post(
            id: PostID(db.lastInsertedRowID), blogID: blog, entryID: entryID, month: month, slug: slug,
            title: draft.title, content: draft.content, tags: draft.tags, publishedAt: publishedAt, updatedAt: publishedAt
        )
    }

    /// The slug `title` gives, numbered (`-2`, `-3`, …) when the month already has it. Both
    /// lookups are ranges of the (blogId, month, slug) index, so the cost does not grow with
    /// the number of posts in the month.
    private func freeSlug(for title: String, blog: Int64, month: PostMonth) throws -> PostSlug {
        let base = PostSlug(title: title)
        guard try slugIsTaken.fetchInteger(.integer(blog), .text(month.key), .text(base.rawValue)) != nil else { return base }
        // Every "base-…" sorts between "base-" and "base." ('.' follows '-' in ASCII).
        let numbered = try Set(numberedSlugs.fetchTexts(.integer(blog), .text(month.key), .text(base.rawValue + "-"), .text(base.rawValue + ".")))
        var number = 2
        while numbered.contains(base.numbered(number).rawValue) { number += 1 }
        return base.numbered(number)
    }
}
