/// Escaping shared by the HTML sanitizer and the Atom writer. Characters that XML 1.0 does
/// not allow at all (most C0 controls, U+FFFE, U+FFFF) are dropped, so every output is valid
/// both as HTML and inside an XML document.
public enum MarkupEscaping {
    /// Text content: `&`, `<` and `>` escaped (`>` too, so `]]>` never appears).
    public static func text(_ value: String) -> String {
        escape(value, quotes: false)
    }

    /// An attribute value for double quotes.
    public static func attribute(_ value: String) -> String {
        escape(value, quotes: true)
    }

    private static func escape(_ value: String, quotes: Bool) -> String {
        // Most text has nothing to escape or drop: found in one pass over its UTF-8 bytes.
        guard value.utf8.contains(where: { needsWork($0, quotes: quotes) }) else { return value }
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            case "'" where quotes: result += "&#39;"
            default:
                if isAllowedInXML(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// A byte that may start something to escape or drop: markup characters, C0 controls other
    /// than tab and line breaks, and 0xEF (which starts U+FFFE and U+FFFF, among others).
    private static func needsWork(_ byte: UInt8, quotes: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), 0xEF: true
        case UInt8(ascii: "\""), UInt8(ascii: "'"): quotes
        case 0x09, 0x0A, 0x0D: false
        case ..<0x20: true
        default: false
        }
    }

    public static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
