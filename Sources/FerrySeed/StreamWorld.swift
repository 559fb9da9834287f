import FerryCore
import FerryStore
import Foundation
import GRDB

/// The synthetic world of the stream benchmark, as it was made.
public struct StreamWorld: Sendable {
    public var identities: Int
    public var contactRows: Int
    public var activities: Int
}

extension SeedDatabase {
    /// Fills an empty database with a world for the stream benchmark: `identities` seeded
    /// identities (see `seed`), contacts with a long tail (90 % have 2–40, 9 % 100–250 and 1 %
    /// 1,000–1,300, paired at random), one linked blog each (one in twenty private, one in
    /// twenty hidden) with two posts, and `activities` post and update activities by random
    /// actors. The same `seed` gives the same world, on either backend.
    public func seedStreamWorld(identities count: Int, activities: Int, passwordHash: String, seed: UInt64 = 2010) async throws -> StreamWorld {
        guard try await identityCount() == 0 else {
            throw FerryError(.conflict, "the stream benchmark's world goes into an empty database")
        }
        _ = try await self.seed(identities: count, contactsEach: 0, passwordHash: passwordHash)
        var random = SplitMix64(seed: seed)
        let pairs = contactPairs(count, random: &random)
        try await fillStreamWorld(identities: count, activities: activities, contacts: pairs, seed: Int64(seed % 1_000_000))
        return StreamWorld(identities: count, contactRows: pairs.count, activities: activities)
    }
}

extension Seeder {
    /// The stream world's rows after its identities, in fresh tables: identity n owns blog n,
    /// whose posts are 2n - 1 and 2n.
    public func fillStreamWorld(identities count: Int, activities: Int, contacts pairs: [UInt64], seed: Int64) async throws {
        let now = Date()
        let stored = CivilDay(containing: now).storedText
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO blog (slug, ownerId, title, language, visibility, createdAt, updatedAt, feedId, linkedAt)
                    SELECT 'b' || substr(handle, 5), id, 'Blog of ' || displayName, 'en',
                           CASE id % 20 WHEN 0 THEN 'private' WHEN 1 THEN 'hidden' ELSE 'public' END,
                           :now, :now, 'urn:uuid:00000000-0000-4000-8000-' || printf('%012d', id), :now
                    FROM identity ORDER BY id;
                    INSERT INTO post (blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt)
                    SELECT b.id, 'urn:ferry-bench:' || b.id || ':' || k.n, :month, 'post-' || k.n, 'Post ' || k.n || ' of ' || b.title,
                           '<p>' || printf('%.300c', 'x') || '</p>', '[]', :now, :now
                    FROM blog b, (SELECT 1 AS n UNION ALL SELECT 2) k ORDER BY b.id, k.n;
                    """, arguments: ["now": stored, "month": PostMonth(containing: now).key])
        }
        // Actors are drawn by a multiplicative hash of the activity's number (Knuth's), so no
        // state is needed.
        try await writer.write { db in
            try db.execute(sql: "PRAGMA cache_size = -262144")
            try db.execute(
                sql: """
                    WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < :activities),
                    actor(x, id) AS (SELECT x, (x * 2654435761 + :seed) % 4294967296 % :identities + 1 FROM n)
                    INSERT INTO activity (actorId, blogId, postId, verb, createdAt)
                    SELECT id, id, 2 * id - (x % 2), CASE WHEN x % 5 = 0 THEN 'update' ELSE 'post' END, :now FROM actor;
                    """, arguments: ["activities": activities, "identities": count, "seed": seed, "now": stored])
            try db.execute(sql: "PRAGMA cache_size = -2000")
        }
        for start in stride(from: 0, to: pairs.count, by: 200_000) {
            try await writer.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO contact (identityId, contactId, contactHandle, state, since) VALUES (?, ?, ?, 'accepted', ?)
                        """)
                for pair in pairs[start..<min(start + 200_000, pairs.count)] {
                    let (me, other) = (Int64(pair >> 32) + 1, Int64(pair & 0xFFFF_FFFF) + 1)
                    try statement.execute(arguments: [me, other, Self.handle(Int(other - 1)).rawValue, now])
                }
            }
        }
    }
}

/// Both directions of every contact, as `(me << 32) | other` sorted (positions among the
/// seeded identities), so rows go into the table in key order. Degrees follow a long tail;
/// stubs are shuffled and paired.
private func contactPairs(_ count: Int, random: inout SplitMix64) -> [UInt64] {
    var stubs: [UInt32] = []
    for identity in 0..<count {
        let draw = random.next() % 100
        let degree: UInt64 =
            switch draw {
            case 0: 1_000 + random.next() % 301
            case 1..<10: 100 + random.next() % 151
            default: 2 + random.next() % 39
            }
        stubs.append(contentsOf: repeatElement(UInt32(identity), count: Int(degree)))
    }
    stubs.shuffle(using: &random)
    var pairs: [UInt64] = []
    pairs.reserveCapacity(stubs.count)
    for index in stride(from: 0, to: stubs.count - 1, by: 2) where stubs[index] != stubs[index + 1] {
        let (a, b) = (UInt64(stubs[index]), UInt64(stubs[index + 1]))
        pairs.append(a << 32 | b)
        pairs.append(b << 32 | a)
    }
    pairs.sort()
    return pairs
}

extension Seeder {
    /// Up to `limit` identities whose number of accepted contacts is in `range`, by handle.
    public func identities(withContacts range: ClosedRange<Int>, limit: Int) async throws -> [(handle: Handle, contacts: Int)] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT i.handle, count(*) AS contacts FROM contact c JOIN identity i ON i.id = c.identityId
                    WHERE c.state = 'accepted' GROUP BY c.identityId HAVING count(*) BETWEEN ? AND ? LIMIT ?
                    """, arguments: [range.lowerBound, range.upperBound, limit]
            ).map { (Handle(trusted: $0["handle"]), $0["contacts"]) }
        }
    }

    /// The slug of a blog `owner` owns, and the handles of some of their accepted contacts.
    public func benchmarkAuthor(_ owner: Handle, contacts limit: Int) async throws -> (blog: BlogSlug, contacts: [Handle])? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT b.slug, i.id FROM identity i JOIN blog b ON b.ownerId = i.id WHERE i.handle = ? ORDER BY b.id LIMIT 1
                        """, arguments: [owner.rawValue])
            else { return nil }
            let contacts = try String.fetchAll(
                db,
                sql: """
                    SELECT contactHandle FROM contact WHERE identityId = ? AND state = 'accepted' ORDER BY contactHandle LIMIT ?
                    """, arguments: [row["id"] as Int64, limit])
            return (BlogSlug(trusted: row["slug"]), contacts.map(Handle.init(trusted:)))
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64), so that the same
/// seed always makes the same benchmark world.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
