import Foundation

/// One WordPress shortcode as written in a post: `[name attributes]`, `[name attributes/]` or
/// `[name attributes]content[/name]`.
struct Shortcode {
    var name: String
    /// Named attributes, by lowercased name (the first of each name counts).
    var attributes: [String: String]
    /// Attributes without a name (`[audio https://…]`), in order.
    var positional: [String]
    /// What stood between the opening and the closing tag; nil for a shortcode without one.
    var content: String?

    /// A shortcode longer than this, or with more attributes, is not read: it stays text.
    static let maximumTagLength = 8_192
    static let maximumAttributes = 64
    /// How far after its opening tag a closing tag is looked for: captions and embeds are short.
    static let closingWindow = 65_536

    /// The shortcode whose opening `[` is at `start` of `text`, with the index just after it;
    /// nil when no well-formed shortcode starts there.
    static func read(in text: Substring, at start: Substring.Index, closing: (String) -> Bool) -> (Shortcode, Substring.Index)? {
        var index = text.index(after: start)
        let nameStart = index
        while index < text.endIndex, text[index].isShortcodeNameCharacter { index = text.index(after: index) }
        guard index > nameStart, text[nameStart].isLetter, text[nameStart].isASCII, index < text.endIndex else { return nil }
        let name = String(text[nameStart..<index]).lowercased()
        guard text[index] == "]" || text[index] == "/" || text[index].isWhitespace else { return nil }
        // The opening tag ends at the first `]`; a `[` before it means this is not a shortcode.
        guard let tagEnd = text[index...].prefix(maximumTagLength).firstIndex(where: { $0 == "]" || $0 == "[" }), text[tagEnd] == "]" else {
            return nil
        }
        var inside = text[index..<tagEnd]
        let selfClosing = inside.hasSuffix("/")
        if selfClosing { inside = inside.dropLast() }
        guard let (attributes, positional) = parseAttributes(inside) else { return nil }
        var shortcode = Shortcode(name: name, attributes: attributes, positional: positional, content: nil)
        var end = text.index(after: tagEnd)
        if !selfClosing, closing(name), let close = closingTag(of: name, in: text[end...]) {
            shortcode.content = String(text[end..<close.lowerBound])
            end = close.upperBound
        }
        return (shortcode, end)
    }

    /// Where `[/name]` is in the first `closingWindow` characters of `text`.
    static func closingTag(of name: String, in text: Substring) -> Range<Substring.Index>? {
        text.prefix(closingWindow).range(of: "[/\(name)]", options: .caseInsensitive)
    }

    /// `name="value"`, `name='value'`, `name=value`, `"value"` and `value`, as WordPress reads them.
    private static func parseAttributes(_ text: Substring) -> ([String: String], [String])? {
        var attributes: [String: String] = [:]
        var positional: [String] = []
        var rest = text.drop { $0.isWhitespace }
        var count = 0
        while !rest.isEmpty {
            count += 1
            guard count <= maximumAttributes else { return nil }
            let word = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != "\"" && $0 != "'" }
            rest = rest.dropFirst(word.count)
            if rest.first == "=", !word.isEmpty {
                rest = rest.dropFirst()
                let value = quotedOrBare(&rest)
                let key = word.lowercased()
                if attributes[key] == nil { attributes[key] = value }
            } else if word.isEmpty, let quote = rest.first, quote == "\"" || quote == "'" {
                positional.append(quotedOrBare(&rest))
            } else if word.isEmpty {
                rest = rest.dropFirst()
            } else {
                positional.append(String(word))
            }
            rest = rest.drop { $0.isWhitespace }
        }
        return (attributes, positional)
    }

    private static func quotedOrBare(_ rest: inout Substring) -> String {
        if let quote = rest.first, quote == "\"" || quote == "'" {
            rest = rest.dropFirst()
            let value = rest.prefix { $0 != quote }
            rest = rest.dropFirst(value.count).dropFirst()
            return String(value)
        }
        let value = rest.prefix { !$0.isWhitespace }
        rest = rest.dropFirst(value.count)
        return String(value)
    }
}

extension Character {
    fileprivate var isShortcodeNameCharacter: Bool {
        isASCII && (isLetter || isNumber || self == "_" || self == "-")
    }
}
