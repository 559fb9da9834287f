import FerryCore

/// What `ferry seed` and the benchmarks ask of a database, on either backend: `Seeder` writes
/// the rows into SQLite, `PostgresStore` has PostgreSQL write them.
public protocol SeedDatabase: Sendable {
    func identityCount() async throws -> Int

    /// `count` synthetic identities sharing one password hash, each an accepted contact of the
    /// `contactsEach / 2` before it and the `contactsEach / 2` after it (wrapping around);
    /// handles continue after any seeded before.
    func seed(identities count: Int, contactsEach: Int, passwordHash: String) async throws -> SeedSummary

    /// The stream world's rows after its `count` identities (see `seedStreamWorld`): blogs,
    /// posts, `activities` activities whose actors `seed` picks, and the `contacts` pairs of
    /// identity positions, `(me << 32) | other`.
    func fillStreamWorld(identities count: Int, activities: Int, contacts: [UInt64], seed: Int64) async throws

    /// Up to `limit` identities whose number of accepted contacts is in `range`, by handle.
    func identities(withContacts range: ClosedRange<Int>, limit: Int) async throws -> [(handle: Handle, contacts: Int)]

    /// The slug of a blog `owner` owns, and the handles of some of their accepted contacts.
    func benchmarkAuthor(_ owner: Handle, contacts limit: Int) async throws -> (blog: BlogSlug, contacts: [Handle])?
}
