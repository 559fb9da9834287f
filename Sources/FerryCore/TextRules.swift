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
        let scalars = value.unicodeScalars.map { isControl($0) ? " " : $0 }
        let line = String(String.UnicodeScalarView(scalars)).trimmingWhiteSpace()
        guard !line.isEmpty else { return nil }
        return String(line.prefix(limit)).trimmingWhiteSpace()
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
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
