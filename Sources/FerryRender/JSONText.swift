/// JSON text written by hand where an encoder per value was measurable: tag lists stored with
/// every imported post, and stream pages built on every request. `JSONDecoder` reads it back.
public enum JSONText {
    public static func array(_ strings: [String]) -> String {
        "[" + strings.map(string).joined(separator: ",") + "]"
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as is.
    /// Works on UTF-8 bytes; a string with nothing to escape is copied whole.
    public static func string(_ value: String) -> String {
        guard needsEscape(value) else { return "\"" + value + "\"" }
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(value.utf8.count + 16)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case ..<0x20: bytes += Array("\\u00".utf8) + Array(hexDigits(byte).utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as a JSON string to `text`, without a copy when nothing needs escaping.
    public static func append(_ value: String, to text: inout String) {
        guard needsEscape(value) else {
            text += "\""
            text += value
            text += "\""
            return
        }
        text += string(value)
    }

    private static func needsEscape(_ value: String) -> Bool {
        value.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }

    private static func hexDigits(_ byte: UInt8) -> String {
        (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
    }
}

/// A JSON object written member by member in the order given; nil values are left out.
public struct JSONObject: Sendable {
    private var text = "{"
    private var isEmpty = true

    public init() {}

    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        addKey(key)
        JSONText.append(value, to: &text)
    }

    /// Adds a member whose value is already JSON (an object, an array, a number).
    public mutating func addJSON(_ key: String, _ json: String?) {
        guard let json else { return }
        addKey(key)
        text += json
    }

    private mutating func addKey(_ key: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        JSONText.append(key, to: &text)
        text += ":"
    }

    public var json: String { text + "}" }
}
