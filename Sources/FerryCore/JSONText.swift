/// JSON text written by hand where an encoder per value was measurable: tag lists stored with
/// every imported post, and stream pages built on every request. `JSONDecoder` reads it back.
public enum JSONText {
    public static func array(_ strings: [String]) -> String {
        "[" + strings.map(string).joined(separator: ",") + "]"
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as is.
    public static func string(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                text += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}

/// A JSON object written member by member in the order given; nil values are left out.
public struct JSONObject: Sendable {
    private var text = "{"
    private var isEmpty = true

    public init() {}

    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        addJSON(key, JSONText.string(value))
    }

    /// Adds a member whose value is already JSON (an object, an array, a number).
    public mutating func addJSON(_ key: String, _ json: String?) {
        guard let json else { return }
        if !isEmpty { text += "," }
        isEmpty = false
        text += JSONText.string(key) + ":" + json
    }

    public var json: String { text + "}" }
}
