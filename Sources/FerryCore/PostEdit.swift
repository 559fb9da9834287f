import Foundation

/// How much an edit changed a post, to decide whether contacts hear about it: a new title, a
/// photo or video added or removed, or a change to at least 20 characters of the text (a tenth
/// of it, but at least 3, for short posts) is substantial; a typo fix or a change of markup
/// alone is not.
public struct PostEdit: Sendable, Equatable {
    public var titleChanged: Bool
    public var mediaChanged: Bool
    /// Characters between the longest common prefix and suffix of the two texts.
    public var changedCharacters: Int
    public var textLength: Int

    public init(from old: Post, to new: Post) {
        titleChanged = old.title != new.title
        mediaChanged = Self.mediaSources(old.content) != Self.mediaSources(new.content)
        let before = Array(Self.readableText(old.content))
        let after = Array(Self.readableText(new.content))
        let prefix = zip(before, after).prefix { $0 == $1 }.count
        let suffix = zip(before.dropFirst(prefix).reversed(), after.dropFirst(prefix).reversed()).prefix { $0 == $1 }.count
        changedCharacters = max(before.count, after.count) - prefix - suffix
        textLength = max(before.count, after.count)
    }

    public var isSubstantial: Bool {
        titleChanged || mediaChanged || changedCharacters >= min(20, max(3, textLength / 10))
    }

    /// The text of sanitized HTML without its tags (which separate nothing: only changes of
    /// the words count), runs of ASCII white space as one space.
    public static func readableText(_ html: String) -> String {
        String(decoding: readableBytes(html, limit: .max), as: UTF8.self)
    }

    /// The start of the readable text, cut at a word near `length` characters (Unicode
    /// scalars) and never inside an entity such as `&amp;` (the text is still HTML-escaped),
    /// with "…" when it was cut.
    public static func excerpt(_ html: String, length: Int) -> String {
        let bytes = readableBytes(html, limit: length + 1)
        // The start of the scalar past `length`, if there is one.
        var scalars = 0
        var end: Int?
        for index in bytes.indices where bytes[index] & 0xC0 != 0x80 {
            scalars += 1
            if scalars > length {
                end = index
                break
            }
        }
        guard let end else { return String(decoding: bytes, as: UTF8.self) }
        var cut = bytes[..<end]
        if bytes[end] != UInt8(ascii: " "), let space = cut.lastIndex(of: UInt8(ascii: " ")) { cut = cut[..<space] }
        if let ampersand = cut.lastIndex(of: UInt8(ascii: "&")), !cut[ampersand...].contains(UInt8(ascii: ";")) { cut = cut[..<ampersand] }
        return String(decoding: cut, as: UTF8.self) + "…"
    }

    /// UTF-8 bytes rather than characters: streams show an excerpt of every item they list.
    /// Stops after `limit` scalars.
    private static func readableBytes(_ html: String, limit: Int) -> [UInt8] {
        var text: [UInt8] = []
        var scalars = 0
        var inTag = false
        var pendingSpace = false
        for byte in html.utf8 {
            if inTag {
                if byte == UInt8(ascii: ">") { inTag = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "<"): inTag = true
            case UInt8(ascii: " "), 0x09...0x0D: pendingSpace = true
            default:
                let startsScalar = byte & 0xC0 != 0x80
                if startsScalar {
                    if scalars >= limit { return text }
                    if pendingSpace, !text.isEmpty {
                        text.append(UInt8(ascii: " "))
                        scalars += 1
                    }
                    pendingSpace = false
                    scalars += 1
                }
                text.append(byte)
            }
        }
        return text
    }

    /// Every `src` attribute value in sanitized HTML (which always quotes attributes with `"`).
    static func mediaSources(_ html: String) -> [Substring] {
        html.split(separator: #" src=""#).dropFirst().map { $0.prefix { $0 != "\"" } }
    }
}
