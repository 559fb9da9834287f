import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Creates a blog owned by `owner`; a slug that is taken, in any letter case, is a conflict.
    public func createBlog(
        slug: BlogSlug, owner: IdentityID, title: String, language: LanguageTag, visibility: BlogVisibility,
        at now: Date = Date()
    ) async throws -> Blog {
        let blog: Blog
        do {
            blog = try await writer.write { db in
                let reserved =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM migration WHERE blogSlug = ? AND mode = 'new' AND status IN ('queued', 'running')
                            """, arguments: [slug.rawValue]) ?? 0
                guard reserved == 0 else {
                    throw FerryError(.conflict, "the blog address '\(slug)' is being taken by a blog that is moving here", field: "slug")
                }
                let blog = try Self.insertBlog(slug, owner: owner, title: title, language: language, visibility: visibility, at: now, db: db)
                try changes.record([blog.id], in: db)
                return blog
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw FerryError(.conflict, "the blog address '\(slug)' is already taken", field: "slug")
        }
        await changes.announce(blog.id)
        return blog
    }

    public func blog(slug: BlogSlug) async throws -> Blog? {
        try await writer.read { db in
            try BlogRecord.filter(Column("slug") == slug.rawValue).fetchOne(db)?.blog()
        }
    }

    public func owner(ofBlog id: BlogID) async throws -> IdentityID? {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT ownerId FROM blog WHERE id = ?", arguments: [id.rawValue]).map(IdentityID.init)
        }
    }

    /// The slugs of every private blog.
    public func privateBlogSlugs() async throws -> [BlogSlug] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT slug FROM blog WHERE visibility = 'private'").map(BlogSlug.init(trusted:))
        }
    }

    /// Every blog `owner` owns, in slug order.
    public func blogs(ownedBy owner: IdentityID) async throws -> [Blog] {
        try await writer.read { db in
            // A blog still being imported in stages is not the owner's yet.
            try BlogRecord.filter(Column("ownerId") == owner.rawValue && !Column("slug").like("~%")).order(Column("slug")).fetchAll(db).map { try $0.blog() }
        }
    }

    /// Applies `update` to the blog at `slug` on behalf of `editor`, who must own it.
    public func updateBlog(_ slug: BlogSlug, by editor: IdentityID, with update: BlogUpdate, at now: Date = Date()) async throws -> Blog {
        let (blog, changed) = try await writer.write { db in
            var record = try Self.blogRecord(slug, editableBy: editor, in: db)
            let current = try record.blog()
            let updated = try current.applying(update)
            guard updated != current else { return (updated, false) }
            record.title = updated.title
            record.language = updated.language.rawValue
            record.visibility = updated.visibility
            record.allowsAnonymousComments = updated.allowsAnonymousComments
            record.updatedAt = now
            try record.update(db)
            try changes.record([updated.id], in: db)
            return (updated, true)
        }
        if changed { await changes.announce(blog.id) }
        return blog
    }

    /// The blog at `slug` if `owner` owns it; otherwise "not found" or "forbidden" as for writes.
    public func ownedBlog(_ slug: BlogSlug, by owner: IdentityID) async throws -> Blog {
        try await writer.read { db in try Self.blogRecord(slug, editableBy: owner, in: db).blog() }
    }

    /// The blog at `slug` if `editor` owns it. Someone else's private blog is "not found" (its
    /// existence is not revealed); someone else's visible blog is "forbidden".
    /// A new blog, with a feed id of its own.
    static func insertBlog(
        _ slug: BlogSlug, owner: IdentityID, title: String, language: LanguageTag, visibility: BlogVisibility, at now: Date = Date(), db: Database
    ) throws -> Blog {
        var record = BlogRecord(
            id: nil, slug: slug.rawValue, ownerId: owner.rawValue, title: title, language: language.rawValue,
            visibility: visibility, allowsAnonymousComments: false,
            feedId: "urn:uuid:\(UUID().uuidString.lowercased())", createdAt: now, updatedAt: now, linkedAt: nil
        )
        try record.insert(db)
        return try BlogRecord.fetchOne(db, key: record.id)?.blog() ?? record.blog()
    }

    static func blogRecord(_ slug: BlogSlug, editableBy editor: IdentityID, in db: Database) throws -> BlogRecord {
        guard let record = try BlogRecord.filter(Column("slug") == slug.rawValue).fetchOne(db) else {
            throw FerryError(.notFound, "there is no blog at '\(slug)'")
        }
        guard record.ownerId == editor.rawValue else {
            if record.visibility == .private {
                throw FerryError(.notFound, "there is no blog at '\(slug)'")
            }
            throw FerryError(.forbidden, "only the owner of '\(slug)' may change it")
        }
        return record
    }
}
