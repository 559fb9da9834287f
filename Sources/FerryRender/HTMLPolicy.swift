/// How an address in HTML refers to a photo, video or sound.
public enum MediaReference: Sendable {
    /// Shown in the page: `img src`, `video src|poster`, `audio src`, `source src`.
    case embedded
    /// Linked to: `a href`, which names a medium only when it points at one.
    case link
}

/// Sees each address that may refer to a medium as the sanitizer keeps it, and may give a new
/// one (a copy stored here); nil keeps it as it is.
public typealias MediaRewriter = (String, MediaReference) -> String?

/// What sanitized HTML may contain: the writing of a blog (text structure, links, images,
/// video, audio, tables, code, quotes) and nothing that runs, styles, frames or submits.
enum HTMLPolicy {
    static let elements: Set<String> = [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span",
        "ul", "ol", "li", "dl", "dt", "dd",
        "a", "img", "figure", "figcaption", "video", "audio", "source", "picture",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
        "pre", "code", "kbd", "samp", "var", "blockquote", "q", "cite",
        "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "time",
        "details", "summary",
    ]

    /// Elements whose content is code or controls rather than writing: removed entirely.
    /// Anything else outside `elements` loses its tags but keeps its text.
    static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
        "form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset",
        "noscript", "noembed", "noframes", "template", "svg", "math", "canvas", "dialog",
        "head", "title", "meta", "link", "base", "xmp", "plaintext", "portal", "slot",
    ]

    static let voidElements: Set<String> = ["br", "hr", "img", "source", "col"]

    /// What becomes of an element.
    enum Treatment {
        /// Written with its allowed attributes; a void element has no closing tag.
        case kept(isVoid: Bool)
        /// Removed with everything inside it.
        case dropped
        /// Its tags removed, its content kept.
        case unwrapped
    }

    /// The treatment of each element named in the policy, found with one lookup per element.
    private static let treatments: [String: Treatment] = {
        var treatments = Dictionary(uniqueKeysWithValues: elements.map { ($0, Treatment.kept(isVoid: voidElements.contains($0))) })
        for name in droppedWithContent { treatments[name] = .dropped }
        return treatments
    }()

    static func treatment(of element: String) -> Treatment {
        treatments[element] ?? .unwrapped
    }

    static let maximumDepth = 64

    /// Attributes written without a value.
    static let booleanAttributes: Set<String> = ["controls", "loop", "muted", "reversed"]

    /// Elements that mean nothing without a given attribute.
    static let requiredAttribute: [String: String] = ["img": "src", "source": "src"]

    private static let globalAttributes: Set<String> = ["title", "lang", "dir"]

    private static let attributes: [String: Set<String>] = [
        "a": ["href"],
        "img": ["src", "alt", "width", "height"],
        "video": ["src", "poster", "controls", "loop", "muted", "width", "height", "preload"],
        "audio": ["src", "controls", "loop", "muted", "preload"],
        "source": ["src", "type"],
        "blockquote": ["cite"],
        "q": ["cite"],
        "del": ["datetime"],
        "ins": ["datetime"],
        "time": ["datetime"],
        "ol": ["start", "reversed"],
        "li": ["value"],
        "th": ["colspan", "rowspan", "scope"],
        "td": ["colspan", "rowspan"],
        "col": ["span"],
        "colgroup": ["span"],
        "code": ["class"],
        "pre": ["class"],
        "figure": ["class"],
    ]

    /// The classes of an imported WordPress gallery (`WordPressContent`), which the stylesheet lays out.
    private static let galleryClasses = Set(["gallery"] + (1...9).map { "gallery-columns-\($0)" })

    private static let urlAttributes: Set<String> = ["href", "src", "poster", "cite"]
    private static let numberAttributes: Set<String> = ["width", "height", "colspan", "rowspan", "start", "value", "span"]

    /// How `attribute` of `element` refers to a photo, video or sound, if it can.
    static func mediaReference(_ attribute: String, in element: String) -> MediaReference? {
        switch (element, attribute) {
        case ("img", "src"), ("video", "src"), ("audio", "src"), ("source", "src"), ("video", "poster"): .embedded
        case ("a", "href"): .link
        default: nil
        }
    }

    /// The start tag of `element` with those of `attributes` the policy allows (the first of
    /// each name counts, as in libxml2's reading), or nil when the element is useless without a
    /// required attribute that was refused (an image without a safe `src`). `media` may give a
    /// new address for each photo, video or sound.
    static func startTag(_ element: String, attributes: [(name: String, value: String)], media: MediaRewriter?) -> String? {
        var tag = "<" + element
        var seen: Set<String> = []
        var kept: Set<String> = []
        for (name, value) in attributes where seen.insert(name).inserted {
            guard var value = allowedValue(of: name, in: element, value) else { continue }
            if let media, let reference = mediaReference(name, in: element), let replacement = media(value, reference) {
                value = replacement
            }
            kept.insert(name)
            tag += value.isEmpty && booleanAttributes.contains(name) ? " \(name)" : " \(name)=\"\(MarkupEscaping.attribute(value))\""
        }
        if let required = requiredAttribute[element], !kept.contains(required) { return nil }
        if element == "a", kept.contains("href") { tag += " rel=\"nofollow ugc noopener\"" }
        return tag + ">"
    }

    /// The value to keep for `attribute` on `element`, or nil to drop the attribute.
    static func allowedValue(of attribute: String, in element: String, _ value: String) -> String? {
        guard globalAttributes.contains(attribute) || attributes[element]?.contains(attribute) == true else { return nil }
        if urlAttributes.contains(attribute) {
            return SafeURL.check(value, allowMail: element == "a")
        }
        if numberAttributes.contains(attribute) {
            let digits = value.trimmingASCIISpaces()
            return !digits.isEmpty && digits.count <= 6 && digits.allSatisfy(\.isASCIIDigit) ? digits : nil
        }
        if booleanAttributes.contains(attribute) { return "" }
        if attribute == "class" {
            // Only the `language-*` hint that code highlighters read, and a gallery's grid.
            let classes = value.split(separator: " ").filter { name in
                element == "figure" ? galleryClasses.contains(String(name)) : name.hasPrefix("language-") && name.allSatisfy(\.isClassCharacter)
            }
            return classes.isEmpty ? nil : classes.joined(separator: " ")
        }
        return value
    }
}

/// Link and media targets that cannot run code: http(s), mail links, and relative references.
enum SafeURL {
    /// The URL to keep, or nil. Browsers ignore tabs, line breaks and leading control
    /// characters in URLs (`jav&#x09;ascript:`), so those are removed before the scheme is read.
    static func check(_ value: String, allowMail: Bool) -> String? {
        let isIgnored: (UInt8) -> Bool = { $0 <= 0x20 || $0 == 0x7F }
        let cleaned = value.utf8.contains(where: isIgnored) ? String(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }) : value
        guard !cleaned.isEmpty, cleaned.utf8.count <= 4_096 else { return nil }
        guard let scheme = scheme(of: cleaned) else { return cleaned }
        switch scheme {
        case "http", "https": return cleaned
        case "mailto" where allowMail: return cleaned
        default: return nil
        }
    }

    /// The lowercased scheme, or nil for a relative reference. A `:` before any `/`, `?` or
    /// `#` makes a scheme even if it is malformed, so `java script:` is refused, not relative.
    private static func scheme(of url: String) -> String? {
        let bytes = url.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let head = bytes[..<colon]
        guard !head.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) else { return nil }
        return String(Substring(head)).lowercased()
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
    fileprivate var isClassCharacter: Bool { isASCII && (isLetter || isNumber || "-_+".contains(self)) }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var view = Substring(self)
        while view.first == " " || view.first == "\t" || view.first == "\n" { view.removeFirst() }
        while view.last == " " || view.last == "\t" || view.last == "\n" { view.removeLast() }
        return String(view)
    }
}
