/// The text a short piece of HTML shows: tags dropped, character references decoded, runs of
/// white space made one space. For titles sent as HTML (Atom's `type="html"`): a ferry title
/// is plain text, escaped wherever it is shown.
public enum PlainText {
    public static func fromHTML(_ html: String) -> String {
        var text = ""
        var inTag = false
        var reference: String?
        for character in html {
            if inTag {
                if character == ">" { inTag = false }
                continue
            }
            if var pending = reference {
                if character == ";" {
                    text += decoded(pending) ?? "&\(pending);"
                    reference = nil
                } else if pending.count < 10, character.isLetter || character.isNumber || character == "#" {
                    pending.append(character)
                    reference = pending
                } else {
                    text += "&" + pending
                    reference = nil
                    text.append(character)
                }
                continue
            }
            switch character {
            case "<": inTag = true
            case "&": reference = ""
            default: text.append(character)
            }
        }
        if let reference { text += "&" + reference }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "hellip": "…", "mdash": "—", "ndash": "–",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
    ]

    /// The character `&name;` stands for; nil for a name this does not know.
    private static func decoded(_ name: String) -> String? {
        guard name.hasPrefix("#") else { return named[name] }
        let digits = name.dropFirst()
        let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
        return String(Character(scalar))
    }
}
