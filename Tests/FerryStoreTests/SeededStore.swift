import FerrySeed
import FerryStore
import FerryTestSupport

extension StoreBackend {
    /// A fresh database on this backend, as the seeding tools and as the store see it.
    func withSeededStore<Result: Sendable>(_ body: (any SeedDatabase, any Store) async throws -> Result) async throws -> Result {
        switch self {
        case .sqlite:
            try await withTemporaryDirectory { folder in
                let seeder = try Seeder.open(directory: folder)
                defer { try? seeder.close() }
                let store = try AppDatabase.open(directory: folder)
                defer { try? store.close() }
                return try await body(seeder, store)
            }
        case .postgres:
            try await Self.withFreshSchema(nodes: 1) { stores in try await body(stores[0], stores[0]) }
        }
    }
}
