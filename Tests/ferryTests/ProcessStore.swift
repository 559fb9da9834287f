import FerryStore
import FerryTestSupport
import FerryWeb
import Foundation

/// Runs `body` with the store that `ferry` processes started in `folder` keep their data in
/// (`data`, or on PostgreSQL the folder's schema; see `FerryProcess`), as another node would
/// open it.
func withProcessStore<Result: Sendable>(_ folder: URL, data: URL, _ body: (any Store) async throws -> Result) async throws -> Result {
    var configuration = FerryConfiguration()
    configuration.dataDirectory = data
    configuration.database = StoreBackend.webDatabase(for: folder)
    return try await OpenedStore.with(configuration, body)
}

/// What SQLite's integrity and foreign key checks find; nothing on PostgreSQL, which enforces
/// both as it writes.
func integrityProblems(of store: any Store) async throws -> [String] {
    guard let database = store as? AppDatabase else { return [] }
    return try await database.integrityProblems()
}
