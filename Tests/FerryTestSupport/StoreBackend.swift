import FerryPostgres
import FerryStore
import Foundation
import PostgresNIO
import Testing

/// The backends a test runs on: SQLite always; PostgreSQL when `FERRY_TEST_POSTGRES_URL`
/// names a server (`.ci/run` starts a throw-away one; `deploy/throwaway-postgres` does it by hand).
public enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    public static let postgresAddress: PostgresAddress? = ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"]
        .flatMap { try? PostgresAddress($0) }

    public static var available: [StoreBackend] { postgresAddress == nil ? [.sqlite] : [.sqlite, .postgres] }

    public var testDescription: String { rawValue }

    /// Runs `body` with `nodes` stores on one fresh database (a temporary SQLite file, or a
    /// schema of its own in the test server's database, dropped afterwards): several nodes
    /// sharing one truth.
    public func withStores<Result: Sendable>(nodes: Int = 1, _ body: ([any Store]) async throws -> Result) async throws -> Result {
        switch self {
        case .sqlite:
            return try await withTemporaryDirectory { folder in
                let stores = try (0..<nodes).map { _ in try AppDatabase.open(directory: folder) }
                return try await body(stores)
            }
        case .postgres:
            return try await Self.withFreshSchema(nodes: nodes) { try await body($0) }
        }
    }

    public func withStore<Result: Sendable>(_ body: (any Store) async throws -> Result) async throws -> Result {
        try await withStores { try await body($0[0]) }
    }

    /// `nodes` PostgreSQL stores on a new schema, all started together (so their migrations race).
    public static func withFreshSchema<Result: Sendable>(
        nodes: Int, _ body: ([PostgresStore]) async throws -> Result
    ) async throws -> Result {
        guard var address = postgresAddress else { throw PostgresTestUnavailable() }
        address.schema = "test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let stores = (0..<nodes).map { _ in PostgresStore(address, maximumConnections: 4) }
        let result: Result
        do {
            result = try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { await store.run() } }
                defer { group.cancelAll() }
                try await withThrowingTaskGroup(of: Void.self) { migrations in
                    for store in stores { migrations.addTask { try await store.migrate() } }
                    try await migrations.waitForAll()
                }
                return try await body(stores)
            }
        } catch {
            try? await sql("DROP SCHEMA IF EXISTS \(address.schema ?? "") CASCADE")
            throw error
        }
        try await sql("DROP SCHEMA IF EXISTS \(address.schema ?? "") CASCADE")
        return result
    }

    /// Runs one statement on the test server's database, outside any store.
    public static func sql(_ text: String) async throws {
        _ = try await query(text)
    }

    /// The first column of every row `text` returns, as text, read outside any store.
    public static func query(_ text: String) async throws -> Set<String> {
        guard let address = postgresAddress else { throw PostgresTestUnavailable() }
        let configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: .disable)
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            var values: Set<String> = []
            for try await row in try await client.query(PostgresQuery(unsafeSQL: text)) {
                var cells = row.makeIterator()
                if let cell = cells.next(), let text = try cell.decode(String?.self) { values.insert(text) }
            }
            return values
        }
    }
}

public struct PostgresTestUnavailable: Error {}

extension StoreBackend {
    /// The backend the web and command-line suites keep their data on: SQLite in each test's
    /// folder, or PostgreSQL with `FERRY_TEST_WEB_BACKEND=postgres` and a test server (`.ci/run`
    /// runs those suites once more that way).
    public static let web: StoreBackend =
        ProcessInfo.processInfo.environment["FERRY_TEST_WEB_BACKEND"] == "postgres" && postgresAddress != nil ? .postgres : .sqlite

    /// The PostgreSQL database of a test application whose data folder is `folder`, on `web`'s
    /// backend: a schema named after the folder, so reopening the folder reopens it, dropped
    /// with the folder (see `withTemporaryDirectory`). Nil on SQLite.
    public static func webDatabase(for folder: URL) -> PostgresAddress? {
        guard web == .postgres, var address = postgresAddress else { return nil }
        address.schema = "web_" + folder.lastPathComponent.lowercased().filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.suffix(40)
        return address
    }

    /// `webDatabase(for:)` as a URL, for a `ferry` process's `FERRY_DATABASE_URL`. Nil on SQLite.
    public static func webDatabaseURL(for folder: URL) -> String? {
        guard let schema = webDatabase(for: folder)?.schema, let url = ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"] else {
            return nil
        }
        return url + (url.contains("?") ? "&" : "?") + "schema=" + schema
    }
}
