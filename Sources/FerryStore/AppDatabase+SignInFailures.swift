import Foundation
import GRDB

extension AppDatabase {
    static func registerSignInFailureMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("028-sign-in-failures") { db in
            try db.execute(
                sql: """
                    -- Failed sign-ins per handle or client address ("handle:alice",
                    -- "address:203.0.113.5"), shared by every process on this database.
                    CREATE TABLE sign_in_failure (
                        key TEXT PRIMARY KEY NOT NULL,
                        failures INTEGER NOT NULL,
                        lastAt DATETIME NOT NULL,
                        waitUntil DATETIME
                    ) WITHOUT ROWID;
                    CREATE INDEX sign_in_failure_last ON sign_in_failure(lastAt);
                    """)
        }
    }
}

extension AppDatabase: SignInFailureStore {
    public func signInFailures(of keys: [String], at now: Date, memory: TimeInterval) async throws -> [String: SignInFailures] {
        guard !keys.isEmpty else { return [:] }
        return try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT key, failures, waitUntil FROM sign_in_failure WHERE key IN (\(keys.map { _ in "?" }.joined(separator: ", "))) AND lastAt > ?",
                arguments: StatementArguments(keys) + [now.addingTimeInterval(-memory)])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["key"], SignInFailures(count: $0["failures"], waitUntil: $0["waitUntil"])) })
        }
    }

    public func recordSignInFailure(of key: String, pace: SignInPace, at now: Date) async throws {
        try await writer.write { db in
            let forgotten = now.addingTimeInterval(-pace.memory)
            try db.execute(sql: "DELETE FROM sign_in_failure WHERE lastAt <= ?", arguments: [forgotten])
            let failures =
                try Int.fetchOne(
                    db,
                    sql: """
                        INSERT INTO sign_in_failure (key, failures, lastAt) VALUES (?, 1, ?)
                        ON CONFLICT (key) DO UPDATE SET failures = failures + 1, lastAt = excluded.lastAt
                        RETURNING failures
                        """, arguments: [key, now]) ?? 1
            try db.execute(
                sql: "UPDATE sign_in_failure SET waitUntil = ? WHERE key = ?", arguments: [pace.waitUntil(afterFailures: failures, at: now), key])
        }
    }

    public func forgetSignInFailures(of key: String) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM sign_in_failure WHERE key = ?", arguments: [key]) }
    }
}
