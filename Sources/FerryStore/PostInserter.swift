import FerryCore
import FerryRender
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
        insertion = try DirectStatement(
            """
            INSERT INTO post (blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, commentCount, kind)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (blogId, entryId) DO NOTHING
            """, in: db)
        self.db = db
    }

    /// Inserts a post dated `publishedAt` with `commentCount` comments to come; its slug comes
    /// from `slugSource`, and its feed entry id is `entryID` (an imported post's source id) or a
    /// new UUID URN. Nil when the blog already has a post with that entry id.
    ///
    /// The slug is tried as it is first: the unique (blogId, month, slug) index refuses it when
    /// the month has it already, and only then are the numbered ones looked up. Most slugs are
    /// free, so most posts cost one statement. A page's slug must also be free among the blog's
    /// pages (`/{blog}/pages/{slug}`); pages are few, so their numbers are simply tried in turn.
    func insert(
        in blog: BlogID, draft: PostDraft, entryID: String?, publishedAt: Date, slugSource: String, commentCount: Int = 0,
        kind: PostKind = .post
    ) throws -> Post? {
        let month = PostMonth(containing: publishedAt)
        let entryID = entryID ?? "urn:uuid:\(UUID().uuidString.lowercased())"
        let stored = CivilDay(containing: publishedAt).storedText
        func insert(_ slug: PostSlug) throws {
            try insertion.execute(
                .integer(blog.rawValue), .text(entryID), .text(month.key), .text(slug.rawValue), .text(draft.title), .text(draft.content),
                .text(JSONText.array(draft.tags)), .text(stored), .text(stored), .integer(Int64(commentCount)), .text(kind.rawValue)
            )
        }
        var slug = PostSlug(title: slugSource)
        if kind == .page {
            slug = try insertPage(slug, insert: insert)
        } else {
            do {
                try insert(slug)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                guard try slugIsTaken.fetchInteger(.integer(blog.rawValue), .text(month.key), .text(slug.rawValue)) != nil else { throw error }
                slug = try numbered(slug, blog: blog.rawValue, month: month)
                try insert(slug)
            }
        }
        guard db.changesCount > 0 else { return nil }
        return Post(
            id: PostID(db.lastInsertedRowID), blogID: blog, entryID: entryID, month: month, slug: slug,
            title: draft.title, content: draft.content, tags: draft.tags, publishedAt: publishedAt, updatedAt: publishedAt,
            commentCount: commentCount, kind: kind
        )
    }

    /// Inserts a page under the first of `base`, `base-2`, … that no other page (nor a post of
    /// its month) has; the slug it got.
    private func insertPage(_ base: PostSlug, insert: (PostSlug) throws -> Void) throws -> PostSlug {
        for number in 1...Self.pageSlugAttempts {
            let slug = number == 1 ? base : base.numbered(number)
            do {
                try insert(slug)
                return slug
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && number < Self.pageSlugAttempts {
                continue
            }
        }
        return base
    }

    private static let pageSlugAttempts = 1_000

    /// `base` if the month has no post of that slug, else the first numbered one it lacks.
    func freeSlug(_ base: PostSlug, blog: BlogID, month: PostMonth) throws -> PostSlug {
        guard try slugIsTaken.fetchInteger(.integer(blog.rawValue), .text(month.key), .text(base.rawValue)) != nil else { return base }
        return try numbered(base, blog: blog.rawValue, month: month)
    }

    /// The first of `base-2`, `base-3`, … the month does not have. The lookup is a range of the
    /// (blogId, month, slug) index, so its cost does not grow with the number of posts.
    private func numbered(_ base: PostSlug, blog: Int64, month: PostMonth) throws -> PostSlug {
        // Every "base-…" sorts between "base-" and "base." ('.' follows '-' in ASCII).
        let numbered = try Set(numberedSlugs.fetchTexts(.integer(blog), .text(month.key), .text(base.rawValue + "-"), .text(base.rawValue + ".")))
        var number = 2
        while numbered.contains(base.numbered(number).rawValue) { number += 1 }
        return base.numbered(number)
    }
}
