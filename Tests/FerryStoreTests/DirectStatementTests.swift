import FerryTestSupport
import GRDB
import Testing

@testable import FerryStore

/// The import's statements, bound through SQLite's C API, against a plain table.
struct DirectStatementTests {
    private func withTable(_ body: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)")
            try body(db)
        }
    }

    @Test func valuesAreBoundAsGivenIncludingEmptyTextAndNull() throws {
        try withTable { db in
            let insert = try DirectStatement("INSERT INTO t (id, name, note) VALUES (?, ?, ?)", in: db)
            try insert.execute(.integer(1), .text(""), .null)
            try insert.execute(.integer(2), .text("naïve 日本 🚢"), .text(nil as String?))
            try insert.execute(binding: [.integer(nil as Int64?), .text("third"), .text("x")])
            #expect(
                try Row.fetchAll(db, sql: "SELECT CAST(id AS TEXT) AS id, name, note, typeof(name) AS kind FROM t ORDER BY id").map {
                    [$0["id"], $0["name"], $0["note"], $0["kind"]] as [String?]
                }
                    == [["1", "", nil, "text"], ["2", "naïve 日本 🚢", nil, "text"], ["3", "third", "x", "text"]])
        }
    }

    @Test func fetchesReadTheFirstColumnAndLeaveNoCursorOpen() throws {
        try withTable { db in
            let insert = try DirectStatement("INSERT INTO t (name) VALUES (?)", in: db)
            for name in ["a", "b", "c"] { try insert.execute(.text(name)) }
            let find = try DirectStatement("SELECT id FROM t WHERE name = ?", in: db)
            #expect(try find.fetchInteger(.text("b")) == 2)
            #expect(try find.fetchInteger(.text("zzz")) == nil)
            let names = try DirectStatement("SELECT name FROM t WHERE id >= ? ORDER BY id", in: db)
            #expect(try names.fetchTexts(.integer(2)) == ["b", "c"])
            #expect(try names.fetchTexts(.integer(9)) == [])
            // A reset statement holds no lock: the table can still be dropped.
            try db.execute(sql: "DROP TABLE t")
        }
    }

    @Test func aRefusedStatementThrowsSQLitesErrorAndCanRunAgain() throws {
        try withTable { db in
            let insert = try DirectStatement("INSERT INTO t (name) VALUES (?)", in: db)
            try insert.execute(.text("once"))
            let error = #expect(throws: DatabaseError.self) { try insert.execute(.text("once")) }
            #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            #expect(error?.sql == "INSERT INTO t (name) VALUES (?)")
            try insert.execute(.text("twice"))
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 2)
        }
    }
}

/// Rows written many to a statement, in order, whatever their number.
struct RowBatchTests {
    @Test(arguments: [0, 1, RowBatch.rowsPerStatement - 1, RowBatch.rowsPerStatement, RowBatch.rowsPerStatement * 2 + 5])
    func everyRowIsWrittenInOrder(_ count: Int) throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
            let batch = RowBatch("INSERT OR IGNORE INTO t (name)", columnCount: 1, in: db)
            for number in 0..<count { try batch.add(.text("row \(number)")) }
            try batch.add(.text("row 0"))
            try batch.flush()
            try batch.flush()
            #expect(batch.inserted == count + (count == 0 ? 1 : 0), "a duplicate is ignored, not counted")
            let names = try String.fetchAll(db, sql: "SELECT name FROM t ORDER BY id")
            #expect(names == (0..<max(count, 1)).map { "row \($0)" })
        }
    }
}
