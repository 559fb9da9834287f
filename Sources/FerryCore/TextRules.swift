/// Checks shared by every short piece of user-written text.
enum TextRules {
    /// Trimmed of surrounding white space, non-empty, one line, at most `limit` characters.
    static func requiredLine(_ value: String, field: String, limit: Int) throws(FerryError) -> String {
        let trimmed = value.trimmingWhiteSpace()
        guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty") }
        return try singleLine(trimmed, field: field, limit: limit)
    }

    /// `value` on one line (control characters become spaces), trimmed and cut to `limit`
    /// characters; nil when nothing is left.
    static func lenientLine(_ value: String, limit: Int) -> String? {
        var line: String
        if value.utf8.allSatisfy(cannotStartControl) {
            line = value.trimmingWhiteSpace()
        } else {
            let scalars = value.unicodeScalars.map { isControl($0) ? " " : $0 }
            line = String(String.UnicodeScalarView(scalars)).trimmingWhiteSpace()
        }
        guard !line.isEmpty else { return nil }
        // No more bytes than the limit means no more characters either.
        guard line.utf8.count > limit else { return line }
        return String(line.prefix(limit)).trimmingWhiteSpace()
    }

    /// A byte that is no part of a control character: C0 controls and DEL are single bytes,
    /// C1 controls start with 0xC2 and U+2028/U+2029 with 0xE2 (both also start other
    /// characters, which then take the slow path).
    private static func cannotStartControl(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte != 0x7F && byte != 0xC2 && byte != 0xE2
    }

    static func singleLine(_ value: String, field: String, limit: Int) throws(FerryError) -> String {
        guard !value.unicodeScalars.contains(where: isControl) else {
            throw .invalid(field, "must not contain control characters or line breaks")
        }
        return try limited(value, field: field, limit: limit)
    }

    static func multiLine(_ value: String, field: String, limit: Int) throws(FerryError) -> String {
        guard !value.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\r" && $0 != "\t" }) else {
            throw .invalid(field, "must not contain control characters")
        }
        return try limited(value, field: field, limit: limit)
    }

    private static func limited(_ value: String, field: String, limit: Int) throws(FerryError) -> String {
        guard value.count <= limit else {
            throw .invalid(field, "must be at most \(limit) characters long")
        }
        return value
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}

extension String {
    public func trimmingWhiteSpace() -> String {
        // Printable ASCII at both ends: nothing to trim (the common case, checked in two bytes).
        if let first = utf8.first, let last = utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
