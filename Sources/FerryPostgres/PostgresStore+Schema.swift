import FerryCore
import FerryStore
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import PostgresNIO

extension PostgresStore {
    /// Every node runs this at start-up. One transaction, under a transaction-scoped advisory
    /// lock: nodes starting together wait for the first, then find nothing left to do, and a
    /// node that dies half-way leaves no half-applied migration (PostgreSQL's DDL is
    /// transactional).
    public func migrate() async throws {
        try await checkReachable()
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.schemaLockKey))", logger: logger)
            if let schema = address.schema {
                try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
            }
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, appliedAt TIMESTAMPTZ NOT NULL)",
                logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM schema_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in sqlStatements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migration (name, appliedAt) VALUES (\(migration.name), \(Date()))", logger: logger)
            }
            // Keys drawn once per installation, as SQLite's migration 009 draws them.
            let key = ByteBuffer(data: SessionToken.randomBytes(32))
            try await connection.query(
                "INSERT INTO site_secret (name, secret) VALUES ('stream-cursor', \(key)) ON CONFLICT (name) DO NOTHING", logger: logger)
        }
    }

    /// The names of the schema migrations applied so far, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await client.query("SELECT name FROM schema_migration ORDER BY name", logger: logger).decode(String.self).all()
    }

    /// The advisory lock every node takes to migrate: "ferry" in ASCII, as one bigint.
    static let schemaLockKey: Int64 = 0x6665_7272_79
}
