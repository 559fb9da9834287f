import FerryCore
import Foundation
import GRDB

/// The one owner of ferry's database.
///
/// It holds the single `DatabaseWriter` (a WAL-mode `DatabasePool` in production), brings the
/// schema up to date when it is opened, and offers operations named for what they mean
/// (`createIdentity`, `acceptInvitation`) instead of raw SQL to its callers. Every operation
/// that changes more than one row runs in one transaction.
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Where the store announces the blogs its writes changed; shared by every copy.
    public let changes = BlogChanges()

    /// Wraps `writer` and migrates its schema to the latest version.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// The file, inside the data folder, that holds the database.
    public static let fileName = "ferry.sqlite"

    /// Opens (creating if needed) the database in `directory`, creating the directory too.
    public static func open(directory: URL) throws -> AppDatabase {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(fileName).path
        return try AppDatabase(DatabasePool(path: path, configuration: configuration))
    }

    /// Foreign keys are on by default in GRDB; a busy timeout lets concurrent writers queue
    /// instead of failing. Every connection maps up to 1 GiB of the file: a stream page seeks
    /// into one index range per contact, and reading those pages through the map instead of a
    /// `pread` each made the stream query four times faster (measured on the stream benchmark).
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        }
        return configuration
    }

    /// Closes the database; later calls fail. Used on shutdown, after the last request.
    public func close() throws {
        if let pool = writer as? DatabasePool {
            try pool.close()
        } else if let queue = writer as? DatabaseQueue {
            try queue.close()
        }
    }

    /// The journal mode SQLite reports, for checks that the pool really runs in WAL mode.
    public func journalMode() async throws -> String {
        try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// What SQLite's check of the whole file finds wrong (pages, indexes, constraints): empty
    /// when the database is sound.
    public func integrityProblems() async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                + Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { "foreign key: \($0)" }
        }
    }

    /// The names of the schema migrations applied so far, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await writer.read { db in try Self.migrator.appliedMigrations(db) }
    }
}
