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

extension PostgresStore {
    /// The ids of the seeded identities (`user…` handles), in handle order: position `n` is
    /// `user000000n`'s.
    public func seededIdentityIDs() async throws -> [Int64] {
        try await client.query("SELECT id FROM identity WHERE handle ~ '^user[0-9]+$' ORDER BY handle", logger: logger).decode(Int64.self).all()
    }

    /// The stream benchmark's world over the seeded identities `owners` (ids in handle order),
    /// as `Seeder.fillStreamWorld` makes it on SQLite: a blog each (one in twenty private, one
    /// in twenty hidden) with two posts; `activities` post and update activities whose actors
    /// are drawn by the same multiplicative hash of the activity's number; and `contacts`, both
    /// directions of each pair of positions in `owners`, accepted.
    public func seedStreamWorld(
        owners: [Int64], activities: Int, contacts: [(Int, Int)], seed: Int64, at now: Date = Date()
    ) async throws {
        let month = PostMonth(containing: now).key
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO blog (slug, ownerId, title, language, visibility, createdAt, updatedAt, feedId, linkedAt)
                SELECT 'b' || substr(i.handle, 5), i.id, 'Blog of ' || i.displayName, 'en',
                       CASE o.position % 20 WHEN 0 THEN 'private' WHEN 1 THEN 'hidden' ELSE 'public' END,
                       \(now), \(now), 'urn:uuid:00000000-0000-4000-8000-' || lpad(o.position::text, 12, '0'), \(now)
                FROM unnest(\(owners)::bigint[]) WITH ORDINALITY AS o(id, position) JOIN identity i ON i.id = o.id ORDER BY o.position
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO post (blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt)
                SELECT b.id, 'urn:ferry-bench:' || b.id || ':' || k, \(month), 'post-' || k, 'Post ' || k || ' of ' || b.title,
                       '<p>' || repeat('x', 300) || '</p>', '[]', \(now), \(now)
                FROM blog b CROSS JOIN generate_series(1, 2) AS k ORDER BY b.id, k
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO activity (actorId, blogId, postId, verb, createdAt)
                SELECT b.ownerId, b.id, p.id, CASE WHEN a.x % 5 = 0 THEN 'update' ELSE 'post' END, \(now)
                FROM (SELECT x, (\(owners)::bigint[])[(x * 2654435761 + \(seed)) % 4294967296 % \(owners.count) + 1] AS actor
                      FROM generate_series(1::bigint, \(activities)::bigint) AS x) AS a
                JOIN blog b ON b.ownerId = a.actor
                JOIN post p ON p.blogId = b.id AND p.month = \(month) AND p.slug = CASE WHEN a.x % 2 = 1 THEN 'post-1' ELSE 'post-2' END
                ORDER BY a.x
                """, logger: logger)
            for start in stride(from: 0, to: contacts.count, by: 200_000) {
                let chunk = contacts[start..<min(start + 200_000, contacts.count)]
                let (ones, others) = (chunk.map { owners[$0.0] }, chunk.map { owners[$0.1] })
                try await connection.query(
                    """
                    INSERT INTO contact (identityId, contactId, contactHandle, state, since)
                    SELECT p.one, p.other, i.handle, 'accepted', \(now)
                    FROM unnest(\(ones)::bigint[], \(others)::bigint[]) AS p(one, other) JOIN identity i ON i.id = p.other
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
        }
        // What an operator does after a bulk load: the planner's statistics and the visibility
        // map up to date now, rather than by autovacuum in the middle of a measurement.
        try await client.query("VACUUM (ANALYZE) identity, contact, blog, post, activity, actor_latest", logger: logger)
    }

    /// Up to `limit` identities whose number of accepted contacts is in `range`, by handle.
    public func identities(withContacts range: ClosedRange<Int>, limit: Int) async throws -> [(handle: Handle, contacts: Int)] {
        try await client.query(
            """
            SELECT i.handle, c.contacts FROM (
                SELECT identityId, count(*)::bigint AS contacts FROM contact WHERE state = 'accepted' GROUP BY identityId
                HAVING count(*) BETWEEN \(range.lowerBound) AND \(range.upperBound)) AS c
            JOIN identity i ON i.id = c.identityId ORDER BY i.handle LIMIT \(limit)
            """, logger: logger
        ).decode((String, Int).self).all().map { (Handle(trusted: $0.0), $0.1) }
    }

    /// The slug of a blog `owner` owns, and the handles of some of their accepted contacts.
    public func benchmarkAuthor(_ owner: Handle, contacts limit: Int) async throws -> (blog: BlogSlug, contacts: [Handle])? {
        guard
            let (slug, id) = try await client.query(
                "SELECT b.slug, i.id FROM identity i JOIN blog b ON b.ownerId = i.id WHERE i.handle = \(owner.rawValue) ORDER BY b.id LIMIT 1",
                logger: logger
            ).decode((String, Int64).self).firstElement()
        else { return nil }
        let contacts = try await client.query(
            """
            SELECT contactHandle FROM contact WHERE identityId = \(id) AND state = 'accepted' ORDER BY contactHandle LIMIT \(limit)
            """, logger: logger
        ).decode(String.self).all()
        return (BlogSlug(trusted: slug), contacts.map(Handle.init(trusted:)))
    }
}
