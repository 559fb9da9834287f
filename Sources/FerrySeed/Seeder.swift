import FerryCore
import FerryStore
import Foundation
import GRDB

/// What `seed` made, so that the caller can tell a newcomer how to sign in.
public struct SeedSummary: Sendable, Equatable {
    public var identities: Int
    public var contactsEach: Int
    public var firstHandle: Handle

    public init(identities: Int, contactsEach: Int, firstHandle: Handle) {
        self.identities = identities
        self.contactsEach = contactsEach
        self.firstHandle = firstHandle
    }
}

/// Synthetic identities, contacts, blogs and activities for benchmarks and for newcomers
/// (`ferry seed`), written straight into a data folder's database with SQL: tools, not part
/// of the service, so they live here and not in the store. The schema is the store's own
/// (`AppDatabase.open` brings it up to date first).
public struct Seeder: SeedDatabase {
    let writer: DatabasePool

    /// Opens the database in `directory`, creating or migrating it through the store.
    public static func open(directory: URL) throws -> Seeder {
        try AppDatabase.open(directory: directory).close()
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return Seeder(writer: try DatabasePool(path: directory.appendingPathComponent(AppDatabase.fileName).path, configuration: configuration))
    }

    public func close() throws {
        try writer.close()
    }

    public func identityCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM identity") ?? 0 }
    }

    /// The password of every seeded identity, so that benchmarks and newcomers can sign in.
    public static let password = "ferry-seed-password"

    /// The handle of the `index`-th synthetic identity, zero-padded so handle order is index order.
    public static func handle(_ index: Int) -> Handle {
        let digits = String(index)
        return Handle(trusted: "user" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits)
    }

    /// How many identities after each one it is a contact of: half its contacts, at most half
    /// the others.
    public static func forwardContacts(identities count: Int, contactsEach: Int) -> Int {
        max(0, min(contactsEach / 2, (count - 1) / 2))
    }

    /// Fills the database with `count` synthetic identities sharing one precomputed password
    /// hash. Each is an accepted contact of the `contactsEach / 2` identities before it and
    /// the `contactsEach / 2` after it (wrapping around), so each has `contactsEach` contacts,
    /// rounded down to an even number. Handles continue after any identities seeded before.
    ///
    /// Rows go in with cached prepared statements, in transactions of a few thousand
    /// identities, so seeding 100,000 identities takes seconds rather than hours.
    public func seed(identities count: Int, contactsEach: Int, passwordHash: String) async throws -> SeedSummary {
        let now = Date()
        let forward = Self.forwardContacts(identities: count, contactsEach: contactsEach)
        let firstIndex = try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM identity WHERE handle GLOB 'user[0-9]*'") ?? 0
        }
        let batch = 5_000
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        for start in stride(from: 0, to: count, by: batch) {
            let end = min(start + batch, count)
            let inserted = try await writer.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO identity (handle, passwordHash, displayName, bio, createdAt, updatedAt)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """)
                var inserted: [Int64] = []
                for index in start..<end {
                    let number = firstIndex + index
                    try statement.execute(arguments: [
                        Self.handle(number).rawValue, passwordHash, "Seed User \(number)",
                        "A synthetic identity made by ferry seed.", now, now,
                    ])
                    inserted.append(db.lastInsertedRowID)
                }
                return inserted
            }
            ids.append(contentsOf: inserted)
        }
        for start in stride(from: 0, to: count, by: batch) {
            let end = min(start + batch, count)
            let contactIDs = ids
            try await writer.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO contact (identityId, contactId, contactHandle, state, since)
                        VALUES (?, ?, ?, 'accepted', ?)
                        """)
                for index in start..<end where forward > 0 {
                    for offset in 1...forward {
                        let other = (index + offset) % count
                        let a = Self.handle(firstIndex + index).rawValue
                        let b = Self.handle(firstIndex + other).rawValue
                        try statement.execute(arguments: [contactIDs[index], contactIDs[other], b, now])
                        try statement.execute(arguments: [contactIDs[other], contactIDs[index], a, now])
                    }
                }
            }
        }
        return SeedSummary(identities: count, contactsEach: 2 * forward, firstHandle: Self.handle(firstIndex))
    }
}
