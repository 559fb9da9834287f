import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: MigrationStore {
    public func createMigration(
        id: String, owner: IdentityID, blog: BlogSlug, mode: MigrationMode, newBlog: NewBlogChoice, summary: Data, bytes: Int, linksIdentity: Bool,
        limits: PendingUploadLimits, at now: Date
    ) async throws -> Migration {
        try await transaction { connection in
            // One owner's uploads are counted one at a time: parallel ones cannot slip past the limits together.
            try await connection.query("SELECT 1 FROM identity WHERE id = \(owner.rawValue) FOR UPDATE", logger: logger)
            try limits.check(adding: bytes, to: try await pendingUploads(of: owner, on: connection))
            try await connection.query(
                """
                INSERT INTO migration (id, ownerId, blogSlug, mode, status, summary, createdAt, updatedAt, blogTitle, blogLanguage, blogVisibility,
                    bytes, linksIdentity)
                VALUES (\(id), \(owner.rawValue), \(blog.rawValue), \(mode.rawValue), 'awaiting-confirmation', \(String(decoding: summary, as: UTF8.self)),
                    \(now), \(now), \(newBlog.title), \(newBlog.language?.rawValue), \(newBlog.visibility?.rawValue), \(bytes), \(linksIdentity))
                """, logger: logger)
        }
        return Migration(
            id: id, ownerID: owner, blog: blog, mode: mode, status: .awaitingConfirmation, summary: summary, createdAt: now, newBlog: newBlog,
            linksIdentity: linksIdentity)
    }

    public func pendingUploads(of owner: IdentityID) async throws -> (count: Int, bytes: Int) {
        try await client.withConnection { connection in try await pendingUploads(of: owner, on: connection) }
    }

    private func pendingUploads(of owner: IdentityID, on connection: PostgresConnection) async throws -> (count: Int, bytes: Int) {
        let row = try await connection.query(
            """
            SELECT count(*), coalesce(sum(bytes), 0)::bigint FROM migration
            WHERE ownerId = \(owner.rawValue) AND status IN ('awaiting-confirmation', 'queued')
            """, logger: logger
        ).decode((Int, Int).self).firstElement()
        return (row?.0 ?? 0, row?.1 ?? 0)
    }

    public func migration(_ id: String, of owner: IdentityID) async throws -> Migration? {
        try await client.query(
            "SELECT \(unescaped: Self.migrationColumns) FROM migration WHERE id = \(id) AND ownerId = \(owner.rawValue)", logger: logger
        ).decode(MigrationColumns.self).firstElement().map(Self.migration)
    }

    public func migrations(of owner: IdentityID, limit: Int) async throws -> [Migration] {
        try await client.query(
            "SELECT \(unescaped: Self.migrationColumns) FROM migration WHERE ownerId = \(owner.rawValue) ORDER BY createdAt DESC LIMIT \(limit)",
            logger: logger
        ).decode(MigrationColumns.self).all().map(Self.migration)
    }

    public func confirmMigration(_ id: String, of owner: IdentityID, at now: Date) async throws -> Migration {
        try await transaction { connection in
            guard
                var migration = try await connection.query(
                    "SELECT \(unescaped: Self.migrationColumns) FROM migration WHERE id = \(id) AND ownerId = \(owner.rawValue) FOR UPDATE",
                    logger: logger
                ).decode(MigrationColumns.self).firstElement().map(Self.migration)
            else { throw FerryError(.notFound, "there is no migration '\(id)'") }
            guard migration.status == .awaitingConfirmation else {
                throw FerryError(.conflict, "the migration is already \(migration.status.rawValue); it was confirmed before")
            }
            try await connection.query("UPDATE migration SET status = 'queued', updatedAt = \(now) WHERE id = \(id)", logger: logger)
            migration.status = .queued
            return migration
        }
    }

    /// `FOR UPDATE SKIP LOCKED`: runners on many nodes asking at once each take a different
    /// migration (or none), and never wait for one another.
    public func claimNextMigration(holder: String, for duration: TimeInterval, at now: Date) async throws -> (Migration, MigrationLease)? {
        try await transaction { connection -> (Migration, MigrationLease)? in
            guard
                var migration = try await connection.query(
                    """
                    SELECT \(unescaped: Self.migrationColumns) FROM migration
                    WHERE status = 'queued' OR (status = 'running' AND (leaseUntil IS NULL OR leaseUntil < \(now)))
                    ORDER BY createdAt, id LIMIT 1 FOR UPDATE SKIP LOCKED
                    """, logger: logger
                ).decode(MigrationColumns.self).firstElement().map(Self.migration)
            else { return nil }
            try await connection.query(
                """
                UPDATE migration SET status = 'running', attempts = attempts + 1, updatedAt = \(now), leaseHolder = \(holder),
                    leaseUntil = \(now.addingTimeInterval(duration))
                WHERE id = \(migration.id)
                """, logger: logger)
            migration.status = .running
            return (migration, MigrationLease(id: migration.id, holder: holder))
        }
    }

    public func renew(_ lease: MigrationLease, for duration: TimeInterval, at now: Date) async throws -> Bool {
        try await client.query(
            """
            UPDATE migration SET leaseUntil = \(now.addingTimeInterval(duration))
            WHERE id = \(lease.id) AND leaseHolder = \(lease.holder) AND status = 'running' RETURNING 1
            """, logger: logger
        ).decode(Int.self).firstElement() != nil
    }

    public func failExhaustedMigrations(maxAttempts: Int, at now: Date) async throws -> [Migration] {
        try await client.query(
            """
            UPDATE migration SET status = 'failed', failure = \(MigrationQueueWording.exhausted(maxAttempts)), updatedAt = \(now), leaseHolder = NULL
            WHERE status = 'running' AND (leaseUntil IS NULL OR leaseUntil < \(now)) AND attempts >= \(maxAttempts)
            RETURNING \(unescaped: Self.migrationColumns)
            """, logger: logger
        ).decode(MigrationColumns.self).all().map(Self.migration)
    }

    public func expireUnconfirmedMigrations(before cutoff: Date, at now: Date) async throws -> [String] {
        try await client.query(
            """
            UPDATE migration SET status = 'failed', failure = \(MigrationQueueWording.expired), updatedAt = \(now)
            WHERE status = 'awaiting-confirmation' AND createdAt < \(cutoff) RETURNING id
            """, logger: logger
        ).decode(String.self).all()
    }

    public func migrationsKeepingFiles() async throws -> Set<String> {
        Set(
            try await client.query(
                "SELECT id FROM migration WHERE status IN ('awaiting-confirmation', 'queued', 'running')", logger: logger
            ).decode(String.self).all())
    }

    @discardableResult
    public func failMigration(_ lease: MigrationLease, reason: String, at now: Date) async throws -> Bool {
        try await client.query(
            """
            UPDATE migration SET status = 'failed', failure = \(reason), updatedAt = \(now)
            WHERE id = \(lease.id) AND leaseHolder = \(lease.holder) AND status = 'running' RETURNING 1
            """, logger: logger
        ).decode(Int.self).firstElement() != nil
    }

    typealias MigrationColumns = (
        String, Int64, String, String, String, String, String?, String?, Date, String?, String?, String?, Bool
    )
    static let migrationColumns =
        "id, ownerId, blogSlug, mode, status, summary, report, failure, createdAt, blogTitle, blogLanguage, blogVisibility, linksIdentity"

    static func migration(_ row: MigrationColumns) throws -> Migration {
        guard let mode = MigrationMode(rawValue: row.3), let status = MigrationStatus(rawValue: row.4) else {
            throw FerryError.brokenInvariant("migration \(row.0) has the mode '\(row.3)' or the status '\(row.4)'")
        }
        return Migration(
            id: row.0, ownerID: IdentityID(row.1), blog: BlogSlug(trusted: row.2), mode: mode, status: status, summary: Data(row.5.utf8),
            report: row.6.map { Data($0.utf8) }, failure: row.7, createdAt: row.8,
            newBlog: NewBlogChoice(title: row.9, language: row.10.map(LanguageTag.init(trusted:)), visibility: row.11.flatMap(BlogVisibility.init(rawValue:))),
            linksIdentity: row.12)
    }
}
