import GRDB
import GRDBSQLite

/// A value bound to a `DirectStatement`.
enum DirectValue {
    case integer(Int64)
    case text(String)
    case null

    static func text(_ text: String?) -> DirectValue { text.map(DirectValue.text) ?? .null }
    static func integer(_ integer: Int64?) -> DirectValue { integer.map(DirectValue.integer) ?? .null }
}

/// A statement prepared once and run with its values bound through SQLite's C API. GRDB's
/// `StatementArguments` box every value and look cached statements up by their SQL; an import
/// runs these statements for every post, comment and old address, where that cost more than
/// SQLite's own work. Used only inside one `Database` access, like GRDB's statements.
final class DirectStatement {
    private let statement: Statement
    private let db: Database

    init(_ sql: String, in db: Database) throws {
        statement = try db.makeStatement(sql: sql)
        self.db = db
    }

    /// Runs the statement with `values` bound to its parameters in order.
    func execute(_ values: DirectValue...) throws {
        _ = try step(values)
    }

    /// Runs the statement with `values` bound to its parameters in order.
    func execute(binding values: [DirectValue]) throws {
        _ = try step(values)
    }

    /// The first column of the first row the statement returns, as an integer. The statement
    /// is reset after, so it holds no read cursor open.
    func fetchInteger(_ values: DirectValue...) throws -> Int64? {
        defer { sqlite3_reset(statement.sqliteStatement) }
        return try step(values) ? sqlite3_column_int64(statement.sqliteStatement, 0) : nil
    }

    /// The first column of every row the statement returns, as text.
    func fetchTexts(_ values: DirectValue...) throws -> [String] {
        var texts: [String] = []
        var hasRow = try step(values)
        while hasRow {
            texts.append(sqlite3_column_text(statement.sqliteStatement, 0).map { String(cString: $0) } ?? "")
            hasRow = try step()
        }
        return texts
    }

    /// Binds `values` and steps once; true when a row came back. The statement is reset first,
    /// so nothing of an earlier run is kept.
    private func step(_ values: [DirectValue]) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            try check(bind(value, at: Int32(offset + 1), of: handle))
        }
        return try step()
    }

    /// The next row; false when there are no more.
    private func step() throws -> Bool {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        guard code == SQLITE_ROW || code == SQLITE_DONE else {
            let failure = error(code)
            sqlite3_reset(handle)
            throw failure
        }
        return code == SQLITE_ROW
    }

    private func bind(_ value: DirectValue, at index: Int32, of handle: SQLiteStatement) -> Int32 {
        switch value {
        case .integer(let integer):
            return sqlite3_bind_int64(handle, index, integer)
        case .null:
            return sqlite3_bind_null(handle, index)
        case .text(var text):
            return text.withUTF8 { bytes in
                // An empty buffer may have no address, and a null address would bind NULL.
                let start = UnsafeRawPointer(bytes.baseAddress ?? Self.emptyText).assumingMemoryBound(to: CChar.self)
                return sqlite3_bind_text(handle, index, start, Int32(bytes.count), Self.transient)
            }
        }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }

    /// SQLite copies the text before the call returns (`SQLITE_TRANSIENT`).
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
    private static var emptyText: UnsafePointer<UInt8> { ("" as StaticString).utf8Start }
}
