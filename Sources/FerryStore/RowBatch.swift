import GRDB

/// Rows for one table, inserted many to a statement. A statement that inserts one row costs
/// SQLite the same setting up (cursors on the table and each index, foreign key lookups, for
/// tables with triggers a statement journal) as one that inserts 64; an import writes rows by
/// the hundred thousand. Rows are written in the order they were added.
final class RowBatch {
    static let rowsPerStatement = 64

    private let db: Database
    private let insertion: String
    private let columnCount: Int
    private var waiting: [DirectValue] = []
    /// Statements by the number of rows they insert: full ones, and the rest when flushed early.
    private var statements: [Int: DirectStatement] = [:]
    /// Rows the table took so far (with `OR IGNORE`, those not ignored).
    private(set) var inserted = 0

    /// `insertion` names the table and columns, as in `INSERT OR IGNORE INTO t (a, b)`.
    init(_ insertion: String, columnCount: Int, in db: Database) {
        self.db = db
        self.insertion = insertion
        self.columnCount = columnCount
        waiting.reserveCapacity(Self.rowsPerStatement * columnCount)
    }

    /// Adds a row, one value per column; a full statement's worth is written at once.
    func add(_ row: DirectValue...) throws {
        precondition(row.count == columnCount, "a row has one value per column")
        waiting += row
        if waiting.count == Self.rowsPerStatement * columnCount { try flush() }
    }

    /// Writes every row still waiting.
    func flush() throws {
        guard !waiting.isEmpty else { return }
        try statement(rows: waiting.count / columnCount).execute(binding: waiting)
        inserted += db.changesCount
        waiting.removeAll(keepingCapacity: true)
    }

    private func statement(rows: Int) throws -> DirectStatement {
        if let prepared = statements[rows] { return prepared }
        let row = "(" + Array(repeating: "?", count: columnCount).joined(separator: ", ") + ")"
        let prepared = try DirectStatement(insertion + " VALUES " + Array(repeating: row, count: rows).joined(separator: ", "), in: db)
        statements[rows] = prepared
        return prepared
    }
}
