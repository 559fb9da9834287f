import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: SignInFailureStore {
    public func signInFailures(of keys: [String], at now: Date, memory: TimeInterval) async throws -> [String: SignInFailures] {
        let rows = try await client.query(
            "SELECT key, failures, waitUntil FROM sign_in_failure WHERE key = ANY(\(keys)) AND lastAt > \(now.addingTimeInterval(-memory))",
            logger: logger
        ).decode((String, Int, Date?).self).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.0, SignInFailures(count: $0.1, waitUntil: $0.2)) })
    }

    public func recordSignInFailure(of key: String, pace: SignInPace, at now: Date) async throws {
        try await transaction { connection in
            try await connection.query("DELETE FROM sign_in_failure WHERE lastAt <= \(now.addingTimeInterval(-pace.memory))", logger: logger)
            // The row is locked from here to the commit: failures on two nodes at once both count.
            let failures =
                try await connection.query(
                    """
                    INSERT INTO sign_in_failure (key, failures, lastAt) VALUES (\(key), 1, \(now))
                    ON CONFLICT (key) DO UPDATE SET failures = sign_in_failure.failures + 1, lastAt = excluded.lastAt
                    RETURNING failures
                    """, logger: logger
                ).decode(Int.self).firstElement() ?? 1
            try await connection.query(
                "UPDATE sign_in_failure SET waitUntil = \(pace.waitUntil(afterFailures: failures, at: now)) WHERE key = \(key)", logger: logger)
        }
    }

    public func forgetSignInFailures(of key: String) async throws {
        try await client.query("DELETE FROM sign_in_failure WHERE key = \(key)", logger: logger)
    }
}
