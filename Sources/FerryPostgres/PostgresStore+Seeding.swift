import FerryCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Synthetic identities for benchmarks and demos, as `Seeder` makes them on SQLite:
    /// handles `user0000000`, `user0000001`, … continuing after those seeded before, all with
    /// `passwordHash`; each an accepted contact of the `forward` identities after it and the
    /// `forward` before it (wrapping around). Written by PostgreSQL itself, a statement for all
    /// the identities and one for all the contacts. Answers the index of the first one.
    public func seed(identities count: Int, forward: Int, passwordHash: String, at now: Date = Date()) async throws -> Int {
        try await transaction { connection in
            let first =
                try await connection.query("SELECT count(*) FROM identity WHERE handle ~ '^user[0-9]+$'", logger: logger)
                .decode(Int.self).firstElement() ?? 0
            try await connection.query(
                """
                INSERT INTO identity (handle, passwordHash, displayName, bio, createdAt, updatedAt)
                SELECT 'user' || lpad(number::text, greatest(7, length(number::text)), '0'), \(passwordHash), 'Seed User ' || number,
                    'A synthetic identity made by ferry seed.', \(now), \(now)
                FROM generate_series(\(first), \(first + count - 1)) AS number
                """, logger: logger)
            guard forward > 0 else { return first }
            try await connection.query(
                """
                WITH seeded AS (
                    SELECT id, handle, row_number() OVER (ORDER BY handle) - 1 AS position FROM identity
                    WHERE handle ~ '^user[0-9]+$' AND substr(handle, 5)::bigint >= \(first)),
                pair AS (
                    SELECT a.id AS one, a.handle AS oneHandle, b.id AS other, b.handle AS otherHandle
                    FROM seeded a CROSS JOIN generate_series(1, \(forward)) AS offset_by
                    JOIN seeded b ON b.position = (a.position + offset_by) % \(count))
                INSERT INTO contact (identityId, contactId, contactHandle, state, since)
                SELECT one, other, otherHandle, 'accepted', \(now) FROM pair
                UNION ALL SELECT other, one, oneHandle, 'accepted', \(now) FROM pair
                """, logger: logger)
            return first
        }
    }
}
