import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: ImportStore {
    /// Other writers to the blog (posts from the web, another import) wait for this one: the
    /// blog is locked from the start.
    public func importIntoBlog<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag)?, visibility: BlogVisibility,
        _ body: (any ImportBatch) throws -> T
    ) throws -> T {
        let connection = try BlockingConnection.open(self)
        defer { connection.close() }
        try connection.execute("BEGIN")
        do {
            let blog = try connection.run { [self] connection, _ in
                if let settings {
                    return try await insertBlog(
                        slug, owner: owner, title: settings.title, language: settings.language, visibility: visibility, on: connection)
                }
                return try await editableBlog(slug, by: owner, on: connection)
            }
            let batch = PostgresImportBatch(connection: connection, store: self, blog: blog)
            let result = try body(batch)
            try batch.send()
            try connection.run { [self] connection, _ in try await recordChanges([blog.id], on: connection) }
            try connection.execute("COMMIT")
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Stages commit every `PostgresImportStages.stagesPerCommit` stages: PostgreSQL has no
    /// single writer to give back, so a stage is only as short as losing it to a dead node
    /// should cost.
    public func importInStages<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag), visibility: BlogVisibility,
        key: String, _ body: (any ImportStages) throws -> T, publish: (T, any ImportBatch) throws -> Void
    ) throws -> T {
        let connection = try BlockingConnection.open(self)
        defer { connection.close() }
        let staging = StagingBlog.slug(key)
        let blog = try connection.run { [self] connection, logger in
            if let existing = try await connection.query(
                "SELECT \(unescaped: Self.blogColumns) FROM blog WHERE slug = \(staging.rawValue) AND ownerId = \(owner.rawValue)", logger: logger
            ).decode(BlogColumns.self).firstElement().map(Self.blog) {
                return existing
            }
            return try await insertBlog(staging, owner: owner, title: settings.title, language: settings.language, visibility: .private, on: connection)
        }
        let stages = PostgresImportStages(
            batch: PostgresImportBatch(connection: connection, store: self, blog: blog, addressSlug: slug), connection: connection)
        do {
            let result = try body(stages)
            try stages.commit()
            try connection.execute("BEGIN")
            let published = try connection.run { connection, logger in
                let taken = try await connection.query("SELECT 1 FROM blog WHERE slug = \(slug.rawValue)", logger: logger).decode(Int.self).firstElement()
                guard taken == nil else {
                    throw Self.takenWhileMoving(slug)
                }
                return try await connection.query(
                    """
                    UPDATE blog SET slug = \(slug.rawValue), title = \(settings.title), language = \(settings.language.rawValue),
                        visibility = \(visibility.rawValue), updatedAt = \(Date())
                    WHERE id = \(blog.id.rawValue) RETURNING \(unescaped: Self.blogColumns)
                    """, logger: logger
                ).decode(BlogColumns.self).firstElement().map(Self.blog)
            }
            guard let published else { throw FerryError.brokenInvariant("the staged blog of '\(slug)' is gone") }
            let batch = PostgresImportBatch(connection: connection, store: self, blog: published)
            try publish(result, batch)
            try batch.send()
            try connection.run { [self] connection, _ in try await recordChanges([published.id], on: connection) }
            try connection.execute("COMMIT")
            return result
        } catch let lost as MigrationLeaseLost {
            // What was staged is the runner's that took the migration over.
            try? connection.execute("ROLLBACK")
            throw lost
        } catch let error as PSQLError where error.isUniqueViolation {
            try? connection.execute("ROLLBACK")
            try? discardStaging(key, owner: owner, claims: stages.claimsMade)
            throw Self.takenWhileMoving(slug)
        } catch {
            try? connection.execute("ROLLBACK")
            try? discardStaging(key, owner: owner, claims: stages.claimsMade)
            throw error
        }
    }

    private static func takenWhileMoving(_ slug: BlogSlug) -> FerryError {
        FerryError(.conflict, "the blog address '\(slug)' was taken while the blog moved; nothing was changed", field: "blog")
    }

    /// Five hundred posts per transaction (their comments, old addresses and media uses go
    /// with them), so no deletion holds its locks long.
    public func discardStaging(_ key: String, owner: IdentityID, claims: [Int64]) throws {
        let slug = StagingBlog.slug(key).rawValue
        let connection = try BlockingConnection.open(self)
        defer { connection.close() }
        let blog = try connection.run { connection, logger in
            try await connection.query("SELECT id FROM blog WHERE slug = \(slug) AND ownerId = \(owner.rawValue)", logger: logger)
                .decode(Int64.self).firstElement()
        }
        guard let blog else { return }
        while try connection.run({ connection, logger in
            try await connection.query(
                """
                WITH gone AS (DELETE FROM post WHERE id IN (SELECT id FROM post WHERE blogId = \(blog) LIMIT 500) RETURNING 1)
                SELECT count(*) FROM gone
                """, logger: logger
            ).decode(Int.self).firstElement() ?? 0
        }) > 0 {}
        try connection.run { connection, logger in
            try await connection.query("DELETE FROM blog WHERE id = \(blog)", logger: logger)
            try await connection.query("DELETE FROM old_root_claim WHERE id = ANY(\(claims))", logger: logger)
        }
    }

    /// The claim `identity` has on `root` or on a root above it; else a new one (verified at
    /// once when `trusted`), with whether it was made now; nil when another identity holds a
    /// verified claim overlapping it (`OldRootClaimRule`).
    func claim(_ root: OldRoot, for identity: IdentityID, trusted: Bool, on connection: PostgresConnection) async throws -> (OldRootClaim?, made: Bool) {
        switch OldRootClaimRule.decide(root, for: identity, onHost: try await claims(onHost: root.host, on: connection)) {
        case .refused:
            return (nil, false)
        case .held(var claim):
            if trusted, claim.status == .pending {
                try await connection.query(
                    "UPDATE old_root_claim SET verifiedAt = \(Date()), verifiedBy = 'trusted' WHERE id = \(claim.id)", logger: logger)
                try await dropOthers(overlapping: claim.root, keeping: identity, on: connection)
                claim.status = .verified
                claim.verifiedBy = "trusted"
            }
            return (claim, false)
        case .new:
            let now = Date()
            let claim = try await connection.query(
                """
                INSERT INTO old_root_claim (scheme, host, port, path, identityId, token, createdAt, verifiedAt, verifiedBy)
                VALUES (\(root.scheme), \(root.host), \(root.port), \(root.path), \(identity.rawValue), \(OldRootClaimRule.newToken()), \(now),
                    \(trusted ? now : nil), \(trusted ? "trusted" : nil))
                RETURNING \(unescaped: Self.claimColumns)
                """, logger: logger
            ).decode(ClaimColumns.self).firstElement().map(Self.claim)
            if trusted { try await dropOthers(overlapping: root, keeping: identity, on: connection) }
            return (claim, true)
        }
    }
}

/// A staged import on PostgreSQL: one batch on the import's connection, whose writes commit
/// every few stages, so a node that dies mid-import leaves most of its work for the runner
/// that takes the migration over.
final class PostgresImportStages: ImportStages {
    private let batch: PostgresImportBatch
    private let connection: BlockingConnection
    private var stagesSinceCommit = 0
    private var inTransaction = false

    static let stagesPerCommit = 16

    init(batch: PostgresImportBatch, connection: BlockingConnection) {
        self.batch = batch
        self.connection = connection
    }

    var itemsPerStage: Int { 64 }

    var claimsMade: [Int64] { batch.claimsMade }

    /// Stages commit without the import waiting for PostgreSQL (`BlockingConnection.start`):
    /// it reads on while they are stored, and a commit that failed fails its next statement.
    func stage<T>(_ body: (any ImportBatch) throws -> T) throws -> T {
        if !inTransaction {
            try connection.start("BEGIN")
            inTransaction = true
        }
        let result = try body(batch)
        stagesSinceCommit += 1
        if stagesSinceCommit >= Self.stagesPerCommit { try startCommit() }
        return result
    }

    func redirectsAdded() throws -> Int {
        try batch.redirectsAdded()
    }

    /// Sends what the batch holds and commits the stages since the last commit, once
    /// PostgreSQL has stored them.
    func commit() throws {
        try startCommit()
        try connection.waitForStarted()
    }

    private func startCommit() throws {
        guard inTransaction else { return }
        try batch.send()
        try connection.start("COMMIT")
        inTransaction = false
        stagesSinceCommit = 0
    }
}
