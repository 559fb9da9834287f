/// Percent-encoding as RFC 3986 §6.2.2 normalises it, for comparing addresses as browsers
/// send them with addresses as exports wrote them.
public enum PercentEncoding {
    /// `text` with every escape in upper case, escapes of unreserved characters decoded, and
    /// every byte a URI may not hold raw (non-ASCII UTF-8, spaces, quotes…) escaped; a `%`
    /// that starts no escape is escaped itself. Text already in that form is returned as is,
    /// without copying.
    public static func normalized(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || !isAllowedRaw($0) }) else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                let value = high << 4 | low
                if isUnreserved(value) {
                    output.append(value)
                } else {
                    appendEscape(value, to: &output)
                }
                index += 3
                continue
            }
            if byte == UInt8(ascii: "%") || !isAllowedRaw(byte) {
                appendEscape(byte, to: &output)
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `text` with the bytes a URI may not hold raw escaped, and nothing else changed: raw
    /// UTF-8 that `URLComponents` would refuse becomes readable by it.
    static func encodingDisallowed(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 != UInt8(ascii: "%") && !isAllowedRaw($0) }) else { return text }
        var output: [UInt8] = []
        for byte in text.utf8 {
            if byte == UInt8(ascii: "%") || isAllowedRaw(byte) { output.append(byte) } else { appendEscape(byte, to: &output) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendEscape(_ byte: UInt8, to output: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        output.append(UInt8(ascii: "%"))
        output.append(digits[Int(byte >> 4)])
        output.append(digits[Int(byte & 0x0F)])
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// ALPHA / DIGIT / `-` / `.` / `_` / `~` (RFC 3986 §2.3).
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Unreserved characters and the delimiters a URI holds raw (RFC 3986 §2.2).
    private static func isAllowedRaw(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        return switch byte {
        case UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }
}
