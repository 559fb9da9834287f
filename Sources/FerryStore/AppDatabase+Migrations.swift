import FerryCore
import Foundation
import GRDB

/// A row of `migration`.
struct MigrationRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "migration"

    var id: String
    var ownerId: Int64
    var blogSlug: String
    var mode: MigrationMode
    var status: MigrationStatus
    var summary: String
    var report: String?
    var failure: String?
    var createdAt: Date
    var updatedAt: Date
    var blogTitle: String?
    var blogLanguage: String?
    var blogVisibility: BlogVisibility?

    var migration: Migration {
        Migration(
            id: id, ownerID: IdentityID(ownerId), blog: BlogSlug(trusted: blogSlug), mode: mode, status: status,
            summary: Data(summary.utf8), report: report.map { Data($0.utf8) }, failure: failure, createdAt: createdAt,
            newBlog: NewBlogChoice(title: blogTitle, language: blogLanguage.map(LanguageTag.init(trusted:)), visibility: blogVisibility)
        )
    }
}

extension MigrationMode: DatabaseValueConvertible {}
extension MigrationStatus: DatabaseValueConvertible {}

extension AppDatabase {
    /// Records an analysed export, awaiting its owner's confirmation.
    public func createMigration(
        id: String, owner: IdentityID, blog: BlogSlug, mode: MigrationMode, newBlog: NewBlogChoice = NewBlogChoice(), summary: Data,
        at now: Date = Date()
    ) async throws -> Migration {
        let record = MigrationRecord(
            id: id, ownerId: owner.rawValue, blogSlug: blog.rawValue, mode: mode, status: .awaitingConfirmation,
            summary: String(decoding: summary, as: UTF8.self), report: nil, failure: nil, createdAt: now, updatedAt: now,
            blogTitle: newBlog.title, blogLanguage: newBlog.language?.rawValue, blogVisibility: newBlog.visibility
        )
        try await writer.write { db in try record.insert(db) }
        return record.migration
    }

    /// The migration `id` if `owner` started it; anyone else is told it does not exist.
    public func migration(_ id: String, of owner: IdentityID) async throws -> Migration? {
        try await writer.read { db in
            try MigrationRecord.filter(Column("id") == id && Column("ownerId") == owner.rawValue).fetchOne(db)?.migration
        }
    }

    /// Confirms a migration awaiting confirmation: from here on it will run.
    public func confirmMigration(_ id: String, of owner: IdentityID, at now: Date = Date()) async throws -> Migration {
        try await writer.write { db in
            guard var record = try MigrationRecord.filter(Column("id") == id && Column("ownerId") == owner.rawValue).fetchOne(db) else {
                throw FerryError(.notFound, "there is no migration '\(id)'")
            }
            guard record.status == .awaitingConfirmation else {
                throw FerryError(.conflict, "the migration is already \(record.status.rawValue); it was confirmed before")
            }
            record.status = .queued
            record.updatedAt = now
            try record.update(db)
            return record.migration
        }
    }

    /// The oldest migration that should run: queued, or running when the process stopped
    /// (an import that did not finish left nothing behind, so it simply runs again).
    public func nextMigrationToRun() async throws -> Migration? {
        try await writer.read { db in
            try MigrationRecord
                .filter([MigrationStatus.queued, .running].contains(Column("status")))
                .order(Column("createdAt"), Column("id"))
                .fetchOne(db)?.migration
        }
    }

    public func markMigrationRunning(_ id: String, at now: Date = Date()) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE migration SET status = 'running', updatedAt = ? WHERE id = ?", arguments: [now, id])
        }
    }

    /// Marks a migration failed with a reason its owner can read.
    public func failMigration(_ id: String, reason: String, at now: Date = Date()) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE migration SET status = 'failed', failure = ?, updatedAt = ? WHERE id = ?",
                arguments: [reason, now, id]
            )
        }
    }
}

extension ImportBatch {
    /// Marks the migration done with its report in the import's own transaction, so a crash
    /// can never leave an imported blog with a migration that would run again.
    public func completeMigration(_ id: String, report: Data, at now: Date = Date()) throws {
        try db.execute(
            sql: "UPDATE migration SET status = 'done', report = ?, updatedAt = ? WHERE id = ?",
            arguments: [String(decoding: report, as: UTF8.self), now, id]
        )
    }
}
