import FerryCore
import PostgresNIO

/// Reads a row's cells in order, for rows too wide to decode as one tuple.
struct RowCells {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    mutating func next<Value: PostgresDecodable>(_ type: Value.Type = Value.self) throws -> Value {
        guard let cell = cells.next() else { throw FerryError.brokenInvariant("a row had fewer columns than were read") }
        return try cell.decode(Value.self)
    }
}
