import FerryCore
import FerryPostgres

extension PostgresStore: SeedDatabase {
    public func seed(identities count: Int, contactsEach: Int, passwordHash: String) async throws -> SeedSummary {
        let forward = Seeder.forwardContacts(identities: count, contactsEach: contactsEach)
        let first = try await seed(identities: count, forward: forward, passwordHash: passwordHash)
        return SeedSummary(identities: count, contactsEach: 2 * forward, firstHandle: Seeder.handle(first))
    }

    public func fillStreamWorld(identities count: Int, activities: Int, contacts: [UInt64], seed: Int64) async throws {
        let owners = try await seededIdentityIDs()
        guard owners.count == count else { throw FerryError(.conflict, "the stream benchmark's world goes into an empty database") }
        try await seedStreamWorld(
            owners: owners, activities: activities, contacts: contacts.map { (Int($0 >> 32), Int($0 & 0xFFFF_FFFF)) }, seed: seed)
    }
}
