import FerryPostgres
import FerryStore
import ServiceLifecycle

/// The store the configuration names, open and with its schema up to date: SQLite in the data
/// folder, or PostgreSQL at `configuration.database` (its pool runs until `close()`).
public struct OpenedStore: Sendable {
    public let store: any Store
    private let closing: @Sendable () async throws -> Void

    public static func open(_ configuration: FerryConfiguration) async throws -> OpenedStore {
        guard let address = configuration.database else {
            let database = try AppDatabase.open(directory: configuration.dataDirectory)
            return OpenedStore(store: database) { try database.close() }
        }
        let store = PostgresStore(address)
        // Started before anything asks the pool for a connection (it warns of such requests).
        let (started, starting) = AsyncStream.makeStream(of: Void.self)
        let pool = Task {
            starting.finish()
            await store.run()
        }
        for await _ in started {}
        do {
            try await store.migrate()
        } catch {
            pool.cancel()
            throw error
        }
        return OpenedStore(store: store) {
            pool.cancel()
            await pool.value
        }
    }

    private init(store: any Store, closing: @escaping @Sendable () async throws -> Void) {
        self.store = store
        self.closing = closing
    }

    public func close() async throws {
        try await closing()
    }

    /// Runs `body` with the store, closed after it whatever happens.
    public static func with<Result: Sendable>(
        _ configuration: FerryConfiguration, _ body: (any Store) async throws -> Result
    ) async throws -> Result {
        let opened = try await open(configuration)
        do {
            let result = try await body(opened.store)
            try await opened.close()
            return result
        } catch {
            try? await opened.close()
            throw error
        }
    }
}

/// Closes the store after the HTTP server and the migration worker have stopped: the
/// application shuts its services down in reverse order, and the server is started after this one.
struct StoreCloser: Service {
    let store: OpenedStore

    func run() async throws {
        try? await gracefulShutdown()
        try await store.close()
    }
}
