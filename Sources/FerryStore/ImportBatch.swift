import FerryCore
import Foundation
import GRDB
import GRDBSQLite

/// The writes of one import on SQLite, all inside one transaction: if anything throws, none
/// of them happened. Statements are prepared once per import, since each runs for every post,
/// comment or old address.
final class SQLiteImportBatch: ImportBatch {
    let db: Database
    public let blog: Blog
    public let addressSlug: BlogSlug
    /// Claims on old roots this batch made (not those found), so a failed import can withdraw them.
    private(set) var claimsMade: [Int64] = []
    private let posts: PostInserter
    private let postByEntryID: DirectStatement
    private let commentBySourceID: DirectStatement
    private let comments: CommentInserter
    private let commentCounting: DirectStatement
    private let redirects: RowBatch

    init(db: Database, blog: Blog, addressSlug: BlogSlug? = nil) throws {
        self.db = db
        self.blog = blog
        self.addressSlug = addressSlug ?? blog.slug
        posts = try PostInserter(db: db)
        postByEntryID = try DirectStatement("SELECT id FROM post WHERE blogId = ? AND entryId = ?", in: db)
        commentBySourceID = try DirectStatement("SELECT id FROM comment WHERE postId = ? AND sourceId = ?", in: db)
        comments = try CommentInserter(db: db)
        commentCounting = try DirectStatement(
            "UPDATE post SET commentCount = commentCount + ?, commentsChangedAt = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = ?", in: db)
        redirects = RowBatch("INSERT OR IGNORE INTO redirect (host, path, blogId, postId, target)", columnCount: 5, in: db)
    }

    public func post(entryID: String) throws -> Post? {
        guard let id = try postID(entryID: entryID) else { return nil }
        return try PostRecord.fetchOne(db, key: id.rawValue)?.post()
    }

    public func postID(entryID: String) throws -> PostID? {
        try postByEntryID.fetchInteger(.integer(blog.id.rawValue), .text(entryID)).map(PostID.init)
    }

    /// Most imported posts are new, so the insert is tried before any lookup.
    public func insertPost(
        _ draft: PostDraft, entryID: String, publishedAt: Date, slugSource: String, commentCount: Int, kind: PostKind
    ) throws -> Post? {
        try posts.insert(
            in: blog.id, draft: draft, entryID: entryID, publishedAt: publishedAt, slugSource: slugSource, commentCount: commentCount, kind: kind
        )
    }

    public func comment(sourceID: String, on post: PostID) throws -> CommentID? {
        try comments.flush()
        return try commentBySourceID.fetchInteger(.integer(post.rawValue), .text(sourceID)).map(CommentID.init)
    }

    /// The comment may be written only with later ones (see `CommentInserter`); reading
    /// comments and ending the batch write it.
    public func insertComment(
        on post: PostID, sourceID: String, parent: CommentID?, authorName: String, authorURL: String?, content: String, at date: Date
    ) throws -> CommentID {
        try comments.insert(on: post, sourceID: sourceID, parent: parent, authorName: authorName, authorURL: authorURL, content: content, at: date)
    }

    public func setParent(_ parent: CommentID, of replies: [CommentID]) throws {
        try comments.flush()
        for reply in replies {
            try db.execute(sql: "UPDATE comment SET parentId = ? WHERE id = ?", arguments: [parent.rawValue, reply.rawValue])
        }
    }

    /// Writes what is still waiting to be written.
    func finish() throws {
        try comments.flush()
        try redirects.flush()
    }

    public func countImportedComments(_ count: Int, on post: PostID) throws {
        try commentCounting.execute(.integer(Int64(count)), .integer(post.rawValue))
    }

    public func recordMigration(summary: String, at now: Date) throws {
        try AppDatabase.recordActivity(.migrate, blog: blog, post: nil, summary: summary, at: now, db: db)
    }

    /// Written many at a time (see `RowBatch`).
    public func addRedirect(from address: OldAddress, to target: String, post: PostID?) throws {
        try redirects.add(.text(address.host), .text(address.path), .integer(blog.id.rawValue), .integer(post?.rawValue), .text(target))
    }

    /// See `OldRootClaims.claim`.
    public func claim(_ root: OldRoot, trusted: Bool) throws -> OldRootClaim? {
        guard let (claim, made) = try OldRootClaims.claim(root, for: blog.ownerID, trusted: trusted, db) else { return nil }
        if made { claimsMade.append(claim.id) }
        return claim
    }

    /// Writes the pages changed so far to the log now, instead of all of them at the commit,
    /// after reading ended; a page written again replaces its frame in the log.
    public func writeChangedPages() throws {
        let code = sqlite3_db_cacheflush(db.sqliteConnection)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    public func use(_ media: StoredMedia, in post: PostID?) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO media_use (hash, blogId, postId) VALUES (?, ?, ?)",
            arguments: [media.hash, blog.id.rawValue, post?.rawValue ?? MediaLibrary.libraryUse]
        )
    }

    public func completeMigration(_ lease: MigrationLease, report: Data, at now: Date) throws {
        try db.execute(
            sql: "UPDATE migration SET status = 'done', report = ?, updatedAt = ?, leaseHolder = NULL WHERE id = ? AND leaseHolder = ? AND status = 'running'",
            arguments: [String(decoding: report, as: UTF8.self), now, lease.id, lease.holder]
        )
        guard db.changesCount == 1 else { throw MigrationLeaseLost(id: lease.id) }
    }

    public func redirectsAdded() throws -> Int {
        try redirects.flush()
        return redirects.inserted
    }
}

extension AppDatabase: ImportStore {
    /// The page cache of an import's writer connection, in SQLite's negative-KiB form: 32 MiB.
    static let importCacheSize = -32768

    /// Parsing happens inside the one write transaction, so memory stays flat.
    public func importIntoBlog<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag)?, visibility: BlogVisibility,
        _ body: (any ImportBatch) throws -> T
    ) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            // A larger page cache for the import's one big transaction: the indexes it fills
            // (source ids, old addresses) take keys in no particular order, and with the default
            // cache their pages are spilled to the log and written again and again. Bounded,
            // so memory stays flat however large the export.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = \(Self.importCacheSize)")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            try db.inTransaction {
                let blog: Blog
                if let settings {
                    guard try BlogRecord.filter(Column("slug") == slug.rawValue).fetchCount(db) == 0 else {
                        throw FerryError(.conflict, "the blog address '\(slug)' is already taken", field: "blog")
                    }
                    blog = try Self.insertBlog(slug, owner: owner, title: settings.title, language: settings.language, visibility: visibility, db: db)
                } else {
                    blog = try Self.blogRecord(slug, editableBy: owner, in: db).blog()
                }
                let batch = try SQLiteImportBatch(db: db, blog: blog)
                result = try body(batch)
                try batch.finish()
                try changes.record([blog.id], in: db)
                return .commit
            }
            guard let result else { throw FerryError.brokenInvariant("the import transaction committed without running the import") }
            return result
        }
    }
}
