import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    static func registerRequestKeyMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("029-request-keys") { db in
            try db.execute(
                sql: """
                    -- Idempotency-Keys of writes that created something (RequestKey), kept a day:
                    -- the id of what the write created, and a digest of the request.
                    CREATE TABLE request_key (
                        scope TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        resourceId INTEGER,
                        createdAt DATETIME NOT NULL,
                        PRIMARY KEY (scope, key)
                    ) WITHOUT ROWID;
                    CREATE INDEX request_key_age ON request_key(createdAt);
                    """)
        }
    }

    /// Claims `key` for the write this transaction is making, and answers nil; or, when a write
    /// claimed it before, the id of what that one created. Forgets keys past their lifetime.
    static func claim(_ key: RequestKey, at now: Date, db: Database) throws -> Int64? {
        try db.execute(sql: "DELETE FROM request_key WHERE createdAt < ?", arguments: [now.addingTimeInterval(-RequestKey.lifetime)])
        try db.execute(
            sql: "INSERT OR IGNORE INTO request_key (scope, key, fingerprint, createdAt) VALUES (?, ?, ?, ?)",
            arguments: [key.scope, key.key, key.fingerprint, now])
        guard db.changesCount == 0 else { return nil }
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT fingerprint, resourceId FROM request_key WHERE scope = ? AND key = ?", arguments: [key.scope, key.key])
        else { throw FerryError.brokenInvariant("request key '\(key.key)' vanished inside its transaction") }
        guard row["fingerprint"] == key.fingerprint else { throw RequestKey.reused() }
        guard let resource = row["resourceId"] as Int64? else { throw FerryError.brokenInvariant("request key '\(key.key)' names nothing") }
        return resource
    }

    /// Records what the write that claimed `key` created.
    static func settle(_ key: RequestKey, resource: Int64, db: Database) throws {
        try db.execute(
            sql: "UPDATE request_key SET resourceId = ? WHERE scope = ? AND key = ?", arguments: [resource, key.scope, key.key])
    }
}
