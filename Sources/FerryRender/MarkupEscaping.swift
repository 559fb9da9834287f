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

    public static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
