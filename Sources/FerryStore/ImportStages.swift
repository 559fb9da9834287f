import FerryCore
import Foundation
import GRDB

/// A staged import on SQLite: a short transaction per part of the export, so the rest of the
/// site keeps writing in between (sign-ins, posts, comments wait for one stage, not for the
/// whole import), into a blog of its own that no reader can reach (see
/// `AppDatabase.importInStages`).
final class SQLiteImportStages: ImportStages {
    private let writer: any DatabaseWriter
    private let blog: Blog
    private let addressSlug: BlogSlug
    /// Old addresses recorded and claims made by the stages finished so far.
    private var stagedRedirects = 0
    private(set) var claimsMade: [Int64] = []

    init(writer: any DatabaseWriter, blog: Blog, addressSlug: BlogSlug) {
        self.writer = writer
        self.blog = blog
        self.addressSlug = addressSlug
    }

    /// A stage holds the site's one writer for a few milliseconds.
    var itemsPerStage: Int { 64 }

    func stage<T>(_ body: (any ImportBatch) throws -> T) throws -> T {
        try writer.write { db in
            let batch = try SQLiteImportBatch(db: db, blog: blog, addressSlug: addressSlug)
            let result = try body(batch)
            try batch.finish()
            stagedRedirects += try batch.redirectsAdded()
            claimsMade += batch.claimsMade
            return result
        }
    }

    func redirectsAdded() throws -> Int {
        stagedRedirects
    }
}

extension AppDatabase {
    public func importInStages<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag), visibility: BlogVisibility,
        key: String, _ body: (any ImportStages) throws -> T, publish: (T, any ImportBatch) throws -> Void
    ) throws -> T {
        let staging = StagingBlog.slug(key)
        let blog = try writer.write { db in
            if let existing = try BlogRecord.filter(Column("slug") == staging.rawValue && Column("ownerId") == owner.rawValue).fetchOne(db) {
                return try existing.blog()
            }
            return try Self.insertBlog(staging, owner: owner, title: settings.title, language: settings.language, visibility: .private, db: db)
        }
        let stages = SQLiteImportStages(writer: writer, blog: blog, addressSlug: slug)
        // The larger page cache of `importIntoBlog`, on the writer connection the stages share,
        // for as long as they run.
        let cacheSize = try writer.writeWithoutTransaction { db in
            let size = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = \(Self.importCacheSize)")
            return size
        }
        defer { try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = \(cacheSize)") } }
        do {
            let result = try body(stages)
            try writer.write { db in
                guard try BlogRecord.filter(Column("slug") == slug.rawValue).fetchCount(db) == 0 else {
                    throw FerryError(.conflict, "the blog address '\(slug)' was taken while the blog moved; nothing was changed", field: "blog")
                }
                try db.execute(
                    sql: "UPDATE blog SET slug = ?, title = ?, language = ?, visibility = ?, updatedAt = ? WHERE id = ?",
                    arguments: [slug.rawValue, settings.title, settings.language.rawValue, visibility, Date(), blog.id.rawValue]
                )
                guard let published = try BlogRecord.fetchOne(db, key: blog.id.rawValue)?.blog() else {
                    throw FerryError.brokenInvariant("the staged blog of '\(slug)' is gone")
                }
                try publish(result, try SQLiteImportBatch(db: db, blog: published))
                try changes.record([published.id], in: db)
            }
            return result
        } catch let lost as MigrationLeaseLost {
            // What was staged is the runner's that took the migration over.
            throw lost
        } catch {
            try? discardStaging(key, owner: owner, claims: stages.claimsMade)
            throw error
        }
    }

    /// A few hundred posts per transaction (their comments, old addresses and media uses go
    /// with them).
    public func discardStaging(_ key: String, owner: IdentityID, claims: [Int64]) throws {
        let slug = StagingBlog.slug(key).rawValue
        guard
            let blog = try writer.read({ db in
                try Int64.fetchOne(db, sql: "SELECT id FROM blog WHERE slug = ? AND ownerId = ?", arguments: [slug, owner.rawValue])
            })
        else { return }
        while try writer.write({ db in
            try db.execute(sql: "DELETE FROM post WHERE id IN (SELECT id FROM post WHERE blogId = ? LIMIT 500)", arguments: [blog])
            return db.changesCount > 0
        }) {}
        try writer.write { db in
            try db.execute(sql: "DELETE FROM blog WHERE id = ?", arguments: [blog])
            for claim in claims {
                try db.execute(sql: "DELETE FROM old_root_claim WHERE id = ?", arguments: [claim])
            }
        }
    }
}
