import FerryCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Claims `key` for the write this transaction is making, and answers nil; or, when a write
    /// claimed it before, the id of what that one created. A write on another node holding the
    /// same key makes this one wait for its end (the primary key's insert lock), then see it.
    /// Forgets keys past their lifetime.
    func claim(_ key: RequestKey, at now: Date, on connection: PostgresConnection) async throws -> Int64? {
        try await connection.query("DELETE FROM request_key WHERE createdAt < \(now.addingTimeInterval(-RequestKey.lifetime))", logger: logger)
        let claimed = try await connection.query(
            """
            INSERT INTO request_key (scope, key, fingerprint, createdAt) VALUES (\(key.scope), \(key.key), \(key.fingerprint), \(now))
            ON CONFLICT (scope, key) DO NOTHING RETURNING 1
            """, logger: logger
        ).decode(Int.self).firstElement()
        guard claimed == nil else { return nil }
        guard
            let (fingerprint, resource) = try await connection.query(
                "SELECT fingerprint, resourceId FROM request_key WHERE scope = \(key.scope) AND key = \(key.key)", logger: logger
            ).decode((String, Int64?).self).firstElement()
        else { throw FerryError.brokenInvariant("request key '\(key.key)' vanished after its conflict") }
        guard fingerprint == key.fingerprint else { throw RequestKey.reused() }
        guard let resource else { throw FerryError.brokenInvariant("request key '\(key.key)' names nothing") }
        return resource
    }

    /// Records what the write that claimed `key` created.
    func settle(_ key: RequestKey, resource: Int64, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE request_key SET resourceId = \(resource) WHERE scope = \(key.scope) AND key = \(key.key)", logger: logger)
    }
}
