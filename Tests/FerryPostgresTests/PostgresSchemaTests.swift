import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import FerryPostgres

@Suite(.enabled(if: StoreBackend.postgresAddress != nil, "set FERRY_TEST_POSTGRES_URL (deploy/throwaway-postgres start DIR PORT prints one)"))
struct PostgresSchemaTests {
    @Test func nodesStartingTogetherApplyEachMigrationOnce() async throws {
        try await StoreBackend.withFreshSchema(nodes: 6) { nodes in
            for node in nodes {
                #expect(try await node.appliedMigrations() == PostgresSchema.migrations.map(\.name))
            }
            // A restart finds nothing to do and keeps the installation's keys.
            let cursors = try await nodes[0].streamCursors()
            try await nodes[1].migrate()
            let cursor = cursors.cursor(after: .init(7), for: .init(1))
            #expect(try await nodes[1].streamCursors().activityID(in: cursor, for: .init(1)) == .init(7))
        }
    }

    /// The PostgreSQL schema holds every table and column of the SQLite one, each as nullable
    /// as there: a column forgotten on one backend fails here, not in production.
    @Test func everySQLiteColumnHasItsTwinOnPostgreSQL() async throws {
        let sqlite = try await withTemporaryDirectory { folder in
            _ = try AppDatabase.open(directory: folder)
            let queue = try DatabaseQueue(path: folder.appendingPathComponent(AppDatabase.fileName).path)
            return try await queue.read { db in
                var columns: Set<String> = []
                for table in try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
                {
                    for column in try db.columns(in: table) {
                        columns.insert("\(table).\(column.name.lowercased()) \(column.isNotNull || column.primaryKeyIndex > 0 ? "NOT NULL" : "NULL")")
                    }
                }
                return columns
            }
        }
        let postgres = try await StoreBackend.withFreshSchema(nodes: 1) { nodes in
            try await StoreBackend.query(
                """
                SELECT table_name || '.' || column_name || ' ' || CASE is_nullable WHEN 'YES' THEN 'NULL' ELSE 'NOT NULL' END
                FROM information_schema.columns WHERE table_schema = '\(nodes[0].address.schema ?? "")'
                """)
        }
        #expect(sqlite.count > 100)
        #expect(sqlite.subtracting(postgres).sorted() == [])
        #expect(postgres.subtracting(sqlite).sorted() == ["schema_migration.appliedat NOT NULL", "schema_migration.name NOT NULL"])
    }
}

@Suite struct SQLStatementsTests {
    @Test func statementsSplitOutsideStringsBodiesAndComments() {
        let script = """
            -- a comment; with a semicolon and an apostrophe's
            CREATE TABLE a (b TEXT DEFAULT ';');
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RETURN NULL;
            END $$;
            SELECT 1
            """
        #expect(
            sqlStatements(script) == [
                "CREATE TABLE a (b TEXT DEFAULT ';');",
                "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    RETURN NULL;\nEND $$;",
                "SELECT 1",
            ])
    }
}
