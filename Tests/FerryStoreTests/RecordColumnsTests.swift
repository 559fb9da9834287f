import FerryCore
import FerryTestSupport
import GRDB
import Testing

@testable import FerryStore

/// Records are read by position from the columns they declare: a column a migration adds
/// must be declared too, or it would never be read.
struct RecordColumnsTests {
    @Test func everyRecordDeclaresExactlyItsTablesColumns() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let declared: [(String, [String])] = [
                ("identity", IdentityRecord.columns), ("blog", BlogRecord.columns), ("post", PostRecord.columns), ("activity", ActivityRow.columns),
            ]
            for (table, columns) in declared {
                let actual = try await database.writer.read { db in try db.columns(in: table).map(\.name) }
                #expect(Set(columns) == Set(actual), "\(table)")
                #expect(columns.count == Set(columns).count, "\(table) lists a column twice")
            }
        }
    }
}
