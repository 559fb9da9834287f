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
    var attempts = 0
    var bytes = 0
    var linksIdentity = false

    var migration: Migration {
        Migration(
            id: id, ownerID: IdentityID(ownerId), blog: BlogSlug(trusted: blogSlug), mode: mode, status: status,
            summary: Data(summary.utf8), report: report.map { Data($0.utf8) }, failure: failure, createdAt: createdAt,
            newBlog: NewBlogChoice(title: blogTitle, language: blogLanguage.map(LanguageTag.init(trusted:)), visibility: blogVisibility),
            linksIdentity: linksIdentity
        )
    }
}

extension MigrationMode: DatabaseValueConvertible {}
extension MigrationStatus: DatabaseValueConvertible {}

extension AppDatabase {
    /// Records an analysed export of `bytes`, awaiting its owner's confirmation — unless the
    /// owner's uploads waiting to run (unconfirmed or queued) would then exceed `limits`,
    /// checked in the same transaction so that parallel uploads cannot slip past together.
    public func createMigration(
        id: String, owner: IdentityID, blog: BlogSlug, mode: MigrationMode, newBlog: NewBlogChoice = NewBlogChoice(), summary: Data,
        bytes: Int = 0, linksIdentity: Bool = false, limits: PendingUploadLimits = PendingUploadLimits(), at now: Date = Date()
    ) async throws -> Migration {
        let record = MigrationRecord(
            id: id, ownerId: owner.rawValue, blogSlug: blog.rawValue, mode: mode, status: .awaitingConfirmation,
            summary: String(decoding: summary, as: UTF8.self), report: nil, failure: nil, createdAt: now, updatedAt: now,
            blogTitle: newBlog.title, blogLanguage: newBlog.language?.rawValue, blogVisibility: newBlog.visibility, bytes: bytes,
            linksIdentity: linksIdentity
        )
        try await writer.write { db in
            try limits.check(adding: bytes, to: try Self.pendingUploads(of: owner, db))
            try record.insert(db)
        }
        return record.migration
    }

    /// How many uploads of `owner` wait to run, and their bytes.
    public func pendingUploads(of owner: IdentityID) async throws -> (count: Int, bytes: Int) {
        try await writer.read { db in try Self.pendingUploads(of: owner, db) }
    }

    private static func pendingUploads(of owner: IdentityID, _ db: Database) throws -> (count: Int, bytes: Int) {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS count, COALESCE(SUM(bytes), 0) AS bytes FROM migration
                WHERE ownerId = ? AND status IN ('awaiting-confirmation', 'queued')
                """, arguments: [owner.rawValue])
        return (row?["count"] ?? 0, row?["bytes"] ?? 0)
    }

    /// The migration `id` if `owner` started it; anyone else is told it does not exist.
    public func migration(_ id: String, of owner: IdentityID) async throws -> Migration? {
        try await writer.read { db in
            try MigrationRecord.filter(Column("id") == id && Column("ownerId") == owner.rawValue).fetchOne(db)?.migration
        }
    }

    /// The migrations `owner` started, newest first.
    public func migrations(of owner: IdentityID, limit: Int = 50) async throws -> [Migration] {
        try await writer.read { db in
            try MigrationRecord.filter(Column("ownerId") == owner.rawValue).order(Column("createdAt").desc).limit(limit).fetchAll(db).map(\.migration)
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

    /// Takes the oldest migration that waits — queued, or running under a lease its holder
    /// stopped renewing (its process died) — and marks it running under a lease of
    /// `duration` for `holder`, counting the attempt; nil when none waits. One transaction,
    /// so two runners never take the same one. A migration stopped midway left nothing a
    /// reader sees (a merge runs in one transaction, a new blog in stages no one reaches until
    /// the last), so running it again ends as one uninterrupted run would.
    public func claimNextMigration(holder: String, for duration: TimeInterval, at now: Date = Date()) async throws -> (Migration, MigrationLease)? {
        try await writer.write { db in
            guard
                var record = try MigrationRecord.filter(sql: "status = 'queued' OR (\(Self.abandoned))", arguments: [now])
                    .order(Column("createdAt"), Column("id")).fetchOne(db)
            else { return nil }
            record.status = .running
            record.attempts += 1
            record.updatedAt = now
            try record.update(db)
            try db.execute(
                sql: "UPDATE migration SET leaseHolder = ?, leaseUntil = ? WHERE id = ?",
                arguments: [holder, now.addingTimeInterval(duration), record.id])
            return (record.migration, MigrationLease(id: record.id, holder: holder))
        }
    }

    /// A running migration whose lease ran out (or that predates leases).
    private static let abandoned = "status = 'running' AND (leaseUntil IS NULL OR leaseUntil < ?)"

    /// Extends `lease` by `duration` from `now`; false when it is no longer held (another
    /// runner took the migration over, or it ended).
    public func renew(_ lease: MigrationLease, for duration: TimeInterval, at now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE migration SET leaseUntil = ? WHERE id = ? AND leaseHolder = ? AND status = 'running'",
                arguments: [now.addingTimeInterval(duration), lease.id, lease.holder])
            return db.changesCount == 1
        }
    }

    /// Abandoned migrations already started `maxAttempts` times — which looks like a migration
    /// that stops the process running it — fail with that reason instead of stopping every
    /// runner in turn. Answers those that failed.
    public func failExhaustedMigrations(maxAttempts: Int, at now: Date = Date()) async throws -> [Migration] {
        try await writer.write { db in
            let exhausted = "\(Self.abandoned) AND attempts >= ?"
            let failed = try MigrationRecord.filter(sql: exhausted, arguments: [now, maxAttempts]).fetchAll(db).map(\.migration)
            try db.execute(
                sql: "UPDATE migration SET status = 'failed', failure = ?, updatedAt = ?, leaseHolder = NULL WHERE \(exhausted)",
                arguments: [
                    MigrationQueueWording.exhausted(maxAttempts), now, now, maxAttempts,
                ]
            )
            return failed
        }
    }

    /// Uploads left unconfirmed since before `cutoff` fail as expired; answers their ids, whose
    /// files can go.
    public func expireUnconfirmedMigrations(before cutoff: Date, at now: Date = Date()) async throws -> [String] {
        try await writer.write { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM migration WHERE status = 'awaiting-confirmation' AND createdAt < ?", arguments: [cutoff]
            )
            try db.execute(
                sql: "UPDATE migration SET status = 'failed', failure = ?, updatedAt = ? WHERE status = 'awaiting-confirmation' AND createdAt < ?",
                arguments: [MigrationQueueWording.expired, now, cutoff]
            )
            return ids
        }
    }

    /// The ids of migrations whose files are still needed: waiting or running.
    public func migrationsKeepingFiles() async throws -> Set<String> {
        try await writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM migration WHERE status IN ('awaiting-confirmation', 'queued', 'running')"))
        }
    }

    /// Marks a migration failed with a reason its owner can read, if `lease` still holds it;
    /// false when another runner has taken it over (its files are that runner's now).
    @discardableResult
    public func failMigration(_ lease: MigrationLease, reason: String, at now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE migration SET status = 'failed', failure = ?, updatedAt = ? WHERE id = ? AND leaseHolder = ? AND status = 'running'",
                arguments: [reason, now, lease.id, lease.holder]
            )
            return db.changesCount == 1
        }
    }
}

/// A runner's hold on a running migration: renewed while it works, taken over by another
/// runner once it runs out.
public struct MigrationLease: Sendable, Equatable {
    public var id: String
    public var holder: String

    public init(id: String, holder: String) {
        self.id = id
        self.holder = holder
    }
}

/// The migration was taken over by another runner (this one stopped renewing its lease):
/// whatever this runner did is not kept, and the migration is the other runner's to finish.
public struct MigrationLeaseLost: Error, CustomStringConvertible {
    public var id: String

    public init(id: String) {
        self.id = id
    }

    public var description: String { "migration \(id) was taken over by another runner" }
}

/// How many uploads one owner may have waiting to run (unconfirmed or queued), and how many
/// bytes they may hold together: uploads are on disk until they run or expire.
public struct PendingUploadLimits: Sendable {
    public var count = 5
    public var bytes = 4 << 30

    public init() {}

    public func check(adding bytes: Int, to pending: (count: Int, bytes: Int)) throws(FerryError) {
        guard pending.count < count else {
            throw FerryError(.tooMany, "you have \(pending.count) uploads waiting to run; confirm them, or wait for them to run or expire (after a day)")
        }
        guard pending.bytes + bytes <= self.bytes else {
            throw FerryError(.tooLarge, "your uploads waiting to run would hold more than \(self.bytes) bytes; confirm them, or wait for them to run or expire")
        }
    }
}
