import FerrySeed
import FerryWeb

/// Runs `body` with the database `configuration` names, ready for seeding: SQLite in the data
/// folder, or PostgreSQL at `--database`, its schema up to date; closed after it.
public func withSeedDatabase<Result: Sendable>(
    _ configuration: FerryConfiguration, _ body: (any SeedDatabase) async throws -> Result
) async throws -> Result {
    guard configuration.database != nil else {
        let seeder = try Seeder.open(directory: configuration.dataDirectory)
        defer { try? seeder.close() }
        return try await body(seeder)
    }
    return try await OpenedStore.with(configuration) { store in
        guard let database = store as? any SeedDatabase else { throw BenchmarkError(message: "this database cannot be seeded") }
        return try await body(database)
    }
}
