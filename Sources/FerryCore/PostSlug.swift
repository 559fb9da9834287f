import Foundation

/// The last segment of a post's permalink, derived once from its title and never changed.
///
/// Slugs stay readable in the title's own script: Latin letters lose their accents
/// (`Crème brûlée` → `creme-brulee`), other scripts are kept as they are (`Привет, мир` →
/// `привет-мир`) and are percent-encoded only where a URL is written.
public struct PostSlug: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Long titles are cut at a word boundary near this many characters.
    public static let lengthLimit = 60
    public static let fallback = "untitled"

    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    /// The slug for `title`; `untitled` when it has no letters or digits at all.
    public init(title: String) {
        // Most titles (and every WordPress post name) are ASCII: no folding to do.
        if title.utf8.allSatisfy({ $0 < 0x80 }) {
            rawValue = Self.limited(Self.asciiWords(title))
            return
        }
        var words: [String] = []
        var word = ""
        var previousWasLatinBase = false
        let decomposed = title.lowercased().decomposedStringWithCanonicalMapping
        for scalar in decomposed.unicodeScalars {
            if Self.isMark(scalar) {
                // Accents on Latin letters go; vowel signs of other scripts are part of the word.
                if !previousWasLatinBase, !word.isEmpty { word.unicodeScalars.append(scalar) }
                continue
            }
            if let replacement = Self.latinReplacements[scalar] {
                word += replacement
                previousWasLatinBase = true
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word.unicodeScalars.append(scalar)
                previousWasLatinBase = scalar.isASCII
            } else if scalar == "'" || scalar == "\u{2019}" {
                previousWasLatinBase = false  // "don't" reads as "dont", not "don-t"
            } else {
                if !word.isEmpty { words.append(word) }
                word = ""
                previousWasLatinBase = false
            }
        }
        if !word.isEmpty { words.append(word) }
        rawValue = Self.limited(words.map(\.precomposedStringWithCanonicalMapping))
    }

    /// This slug with a numeric suffix, for the `n`th post with the same title in one month.
    public func numbered(_ n: Int) -> PostSlug {
        PostSlug(trusted: "\(rawValue)-\(n)")
    }

    public var description: String { rawValue }

    /// The words of an ASCII title as `init(title:)` finds them: letters (lowercased) and
    /// digits, apostrophes inside words dropped, anything else separating.
    private static func asciiWords(_ title: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        for byte in title.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            case UInt8(ascii: "'"): continue
            default:
                if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    private static func limited(_ words: [String]) -> String {
        var result = ""
        for word in words {
            let candidate = result.isEmpty ? word : result + "-" + word
            if candidate.count > lengthLimit {
                if result.isEmpty { result = String(word.prefix(lengthLimit)) }
                break
            }
            result = candidate
        }
        return result.isEmpty ? fallback : result
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// Latin letters that do not decompose into a base letter and an accent.
    private static let latinReplacements: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i", "ħ": "h",
    ]
}

/// A post's address on its blog, `/{blog}/{yyyy}/{mm}/{post-slug}`, or a page's,
/// `/{blog}/pages/{page-slug}`, with a non-ASCII slug percent-encoded: the one place
/// permalinks are spelled.
public enum Permalink {
    /// The path segment before a page's slug.
    public static let pagesSegment = "pages"

    public static func path(blog: BlogSlug, month: PostMonth, slug: PostSlug) -> String {
        "/\(blog.rawValue)/\(month.path)/\(segment(slug))"
    }

    public static func pagePath(blog: BlogSlug, slug: PostSlug) -> String {
        "/\(blog.rawValue)/\(pagesSegment)/\(segment(slug))"
    }

    public static func path(blog: BlogSlug, post: Post) -> String {
        post.kind == .page ? pagePath(blog: blog, slug: post.slug) : path(blog: blog, month: post.month, slug: post.slug)
    }

    private static func segment(_ slug: PostSlug) -> String {
        slug.rawValue.utf8.allSatisfy(isUnreserved)
            ? slug.rawValue : slug.rawValue.addingPercentEncoding(withAllowedCharacters: unreservedASCII) ?? PostSlug.fallback
    }

    /// Most slugs need no encoding; checking bytes first keeps Foundation out of imports.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// RFC 3986 unreserved characters; `CharacterSet.alphanumerics` would let non-ASCII through.
    private static let unreservedASCII = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}
