import FerryCore
import Foundation
import GRDB

/// Where an import writes: in one transaction (`single`), or in stages — a short transaction
/// per part of the export, so the rest of the site keeps writing in between (sign-ins, posts,
/// comments wait for one stage, not for the whole import). A staged import writes into a blog
/// of its own that no reader can reach (see `AppDatabase.importInStages`), which becomes the
/// new blog in one short last step, or goes if the import fails.
public final class ImportStages {
    private enum Place {
        case single(ImportBatch)
        case staged(any DatabaseWriter, blog: Blog, addressSlug: BlogSlug)
    }

    private let place: Place
    /// Old addresses recorded and claims made by the stages finished so far, when staged.
    private var stagedRedirects = 0
    private var stagedClaims: [Int64] = []

    /// How many items of the export one stage writes: a staged import holds the site's one
    /// writer for a few milliseconds at a time.
    public var itemsPerStage: Int {
        switch place {
        case .single: .max
        case .staged: 64
        }
    }

    /// Every stage writes into `batch`, in its one transaction.
    public init(single batch: ImportBatch) {
        place = .single(batch)
    }

    init(writer: any DatabaseWriter, blog: Blog, addressSlug: BlogSlug) {
        place = .staged(writer, blog: blog, addressSlug: addressSlug)
    }

    /// Runs `body` with a batch, in a transaction of its own when staged; everything `body`
    /// wrote is committed when it returns.
    public func stage<T>(_ body: (ImportBatch) throws -> T) throws -> T {
        switch place {
        case .single(let batch):
            return try body(batch)
        case .staged(let writer, let blog, let addressSlug):
            return try writer.write { db in
                let batch = try ImportBatch(db: db, blog: blog, addressSlug: addressSlug)
                let result = try body(batch)
                try batch.finish()
                stagedRedirects += try batch.redirectsAdded()
                stagedClaims += batch.claimsMade
                return result
            }
        }
    }

    /// How many old addresses the stages recorded (each once).
    public func redirectsAdded() throws -> Int {
        switch place {
        case .single(let batch): try batch.redirectsAdded()
        case .staged: stagedRedirects
        }
    }

    /// The claims on old roots the stages made.
    var claimsMade: [Int64] {
        switch place {
        case .single(let batch): batch.claimsMade
        case .staged: stagedClaims
        }
    }
}

extension AppDatabase {
    /// The slug of the blog a staged import of `key` writes into: `~` is in no slug a reader
    /// can ask for, and the blog is private besides.
    static func stagingSlug(_ key: String) -> BlogSlug {
        BlogSlug(trusted: "~staging-\(key)")
    }

    /// Imports into the new blog `slug` in stages (see `ImportStages`): `body` writes into a
    /// private blog of its own, found again by `key` if an earlier run was interrupted (source
    /// ids make the rest idempotent); then, in one short transaction, that blog takes `slug`,
    /// `settings` and `visibility`, and `publish` records what must commit with it (given a
    /// batch of the published blog). If anything throws, the staged blog and the claims it
    /// made are removed, a part at a time.
    public func importInStages<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag), visibility: BlogVisibility,
        key: String, _ body: (ImportStages) throws -> T, publish: (T, ImportBatch) throws -> Void = { _, _ in }
    ) throws -> T {
        let staging = Self.stagingSlug(key)
        let blog = try writer.write { db in
            if let existing = try BlogRecord.filter(Column("slug") == staging.rawValue && Column("ownerId") == owner.rawValue).fetchOne(db) {
                return try existing.blog()
            }
            return try Self.insertBlog(staging, owner: owner, title: settings.title, language: settings.language, visibility: .private, db: db)
        }
        let stages = ImportStages(writer: writer, blog: blog, addressSlug: slug)
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
                try publish(result, try ImportBatch(db: db, blog: published))
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

    /// Removes what a staged import of `key` wrote: its blog, a few hundred posts per
    /// transaction (their comments, old addresses and media uses go with them), and the
    /// claims it made.
    public func discardStaging(_ key: String, owner: IdentityID, claims: [Int64] = []) throws {
        let slug = Self.stagingSlug(key).rawValue
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
