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
    /// the words count), runs of white space as one space.
    public static func readableText(_ html: String) -> String {
        var text = ""
        var inTag = false
        var pendingSpace = false
        for character in html {
            if inTag {
                if character == ">" { inTag = false }
                continue
            }
            if character == "<" { inTag = true; continue }
            if character.isWhitespace { pendingSpace = true; continue }
            if pendingSpace, !text.isEmpty { text.append(" ") }
            pendingSpace = false
            text.append(character)
        }
        return text
    }

    /// Every `src` attribute value in sanitized HTML (which always quotes attributes with `"`).
    static func mediaSources(_ html: String) -> [Substring] {
        html.split(separator: #" src=""#).dropFirst().map { $0.prefix { $0 != "\"" } }
    }
}
