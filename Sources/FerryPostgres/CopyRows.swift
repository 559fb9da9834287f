import FerryCore
import NIOCore

/// Rows for `COPY … FROM STDIN` in PostgreSQL's text format, built up in one buffer: fields
/// separated by tabs, rows ended by newlines, `\N` for NULL, and the backslash, tab, newline
/// and carriage return within a value escaped.
struct CopyRows: Sendable {
    private(set) var buffer = ByteBuffer()
    private(set) var count = 0
    private var fieldsInRow = 0

    var isEmpty: Bool { count == 0 && fieldsInRow == 0 }

    mutating func add(_ text: String?) {
        separate()
        guard let text else {
            buffer.writeStaticString("\\N")
            return
        }
        var start = text.utf8.startIndex
        let utf8 = text.utf8
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            let escaped: StaticString? =
                switch byte {
                case UInt8(ascii: "\\"): "\\\\"
                case UInt8(ascii: "\t"): "\\t"
                case UInt8(ascii: "\n"): "\\n"
                case UInt8(ascii: "\r"): "\\r"
                // PostgreSQL's text holds no NUL, whatever the format; SQLite's would.
                case 0: ""
                default: nil
                }
            if let escaped {
                buffer.writeBytes(utf8[start..<index])
                buffer.writeStaticString(escaped)
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        buffer.writeBytes(utf8[start..<utf8.endIndex])
    }

    mutating func add(_ number: Int64?) {
        guard let number else { return add(nil as String?) }
        separate()
        buffer.writeString(String(number))
    }

    /// A `timestamptz` to the millisecond, in UTC, as the import stores times on SQLite too
    /// (an import's dates are in the years 1 to 9999: see `UTCDate.storable`).
    mutating func add(_ day: CivilDay) {
        separate()
        buffer.writeString(day.storedText)
        buffer.writeStaticString("+00")
    }

    mutating func endRow() {
        buffer.writeStaticString("\n")
        count += 1
        fieldsInRow = 0
    }

    mutating func removeAll() {
        buffer.clear()
        count = 0
        fieldsInRow = 0
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeStaticString("\t") }
        fieldsInRow += 1
    }
}
