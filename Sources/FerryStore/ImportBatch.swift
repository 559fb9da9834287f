import FerryCore
import Foundation
import GRDB

/// The writes of one import, all inside one transaction: if anything throws, none of them
/// happened. Every insert is keyed by the item's source identity, so importing the same
/// export again (or an overlapping one) adds nothing twice. Statements are prepared once per
/// import (cached), since each runs for every post or comment.
public final class ImportBatch {
    let db: Database
    public let blog: Blog

    init(db: Database, blog: Blog) {
        self.db = db
        self.blog = blog
    }

    /// The post imported before from the source item `entryID`, if any.
    public func post(entryID: String) throws -> Post? {
        try PostRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM post WHERE blogId = ? AND entryId = ?"), arguments: [blog.id.rawValue, entryID]
        )?.post()
    }

    /// Inserts an imported post, keeping its source id as the feed entry id and its date;
    /// the slug comes from `slugSource` (the old slug, or the title).
    public func insertPost(_ draft: PostDraft, entryID: String, publishedAt: Date, slugSource: String) throws -> Post {
        try AppDatabase.insertPost(in: blog.id, draft: draft, entryID: entryID, publishedAt: publishedAt, slugSource: slugSource, db: db)
    }

    /// The comment imported before from `sourceID` on `post`, if any.
    public func comment(sourceID: String, on post: PostID) throws -> CommentID? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM comment WHERE postId = ? AND sourceId = ?"), arguments: [post.rawValue, sourceID])
            .map(CommentID.init)
    }

    /// Inserts an imported comment by a visitor of the old blog.
    public func insertComment(
        on post: PostID, sourceID: String, parent: CommentID?, authorName: String, authorURL: String?, content: String, at date: Date
    ) throws -> CommentID {
        try db.cachedStatement(sql: """
            INSERT INTO comment (postId, authorName, authorURL, content, createdAt, sourceId, parentId)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [post.rawValue, authorName, authorURL, content, CivilDay(containing: date).storedText, sourceID, parent?.rawValue])
        return CommentID(db.lastInsertedRowID)
    }

    /// Adds `count` imported comments to the post's comment count: imported comments are not
    /// counted one by one as they go in.
    public func countImportedComments(_ count: Int, on post: PostID) throws {
        try db.cachedStatement(sql: "UPDATE post SET commentCount = commentCount + ? WHERE id = ?").execute(arguments: [count, post.rawValue])
    }

    /// One `migrate` activity for the whole import, if the blog is linked: imported posts never
    /// each become an activity.
    public func recordMigration(summary: String, at now: Date = Date()) throws {
        try AppDatabase.recordActivity(.migrate, blog: blog, post: nil, summary: summary, at: now, db: db)
    }

    /// Records that `address` now lives at `target` (a path on this site). An address already
    /// recorded keeps its first target; returns whether this one was new.
    @discardableResult
    public func addRedirect(from address: OldAddress, to target: String, post: PostID? = nil) throws -> Bool {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO redirect (host, path, blogId, postId, target) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [address.host, address.path, blog.id.rawValue, post?.rawValue, target])
        return db.changesCount > 0
    }
}

extension AppDatabase {
    /// Runs `body` with an `ImportBatch` for the blog at `slug` in one transaction. With
    /// `createIfMissing`, the blog is created (the slug must be free); otherwise `owner` must
    /// own it. Nothing is kept if `body` throws.
    ///
    /// Blocks the calling thread for the whole import (parsing happens inside the transaction,
    /// so memory stays flat): call it from a background thread or the command line.
    public func importIntoBlog<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag)?,
        _ body: (ImportBatch) throws -> T
    ) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            // A larger page cache for the import's one big transaction: the indexes it fills
            // (source ids, old addresses) take keys in no particular order, and with the default
            // cache their pages are spilled to the log and written again and again. Bounded,
            // so memory stays flat however large the export.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -32768")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            try db.inTransaction {
                let record: BlogRecord
                if let settings {
                    guard try BlogRecord.filter(Column("slug") == slug.rawValue).fetchCount(db) == 0 else {
                        throw FerryError(.conflict, "the blog address '\(slug)' is already taken", field: "blog")
                    }
                    let now = Date()
                    var created = BlogRecord(
                        id: nil, slug: slug.rawValue, ownerId: owner.rawValue, title: settings.title, language: settings.language.rawValue,
                        visibility: .public, allowsAnonymousComments: false,
                        feedId: "urn:uuid:\(UUID().uuidString.lowercased())", createdAt: now, updatedAt: now, linkedAt: nil
                    )
                    try created.insert(db)
                    record = created
                } else {
                    record = try Self.blogRecord(slug, editableBy: owner, in: db)
                }
                result = try body(ImportBatch(db: db, blog: record.blog()))
                return .commit
            }
            guard let result else { throw FerryError(.notFound, "the import did not run") }
            return result
        }
    }
}
