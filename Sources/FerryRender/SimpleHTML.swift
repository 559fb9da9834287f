/// The simplest HTML, read without libxml2: paragraphs of text with links, emphasis, code and
/// line breaks, strictly nested, attributes in double quotes, no character references. Most
/// comments and many posts are written so, and parsing each into a libxml2 document was half of
/// reading an export. For such input the result is exactly what the libxml2 path gives (a test
/// compares the two on thousands of generated inputs); anything else — other elements, any
/// `&`, whitespace alone between tags, control characters, loose or misnested tags — gets nil,
/// and goes the libxml2 way. None of these elements embeds a photo or video; a link may point
/// at one, and `media` sees it as the libxml2 way would show it.
enum SimpleHTML {
    /// The safe HTML for `html`, or nil when it is not simple.
    static func sanitize(_ html: String, media: MediaRewriter? = nil) -> String? {
        var html = html
        return html.withUTF8 { bytes in
            var reader = Reader(bytes: bytes, media: media)
            return reader.read()
        }
    }

    private enum Element: String {
        case p, a, em, strong, b, i, code, br

        /// Paragraphs only at the top: libxml2 closes or moves them elsewhere.
        var isBlock: Bool { self == .p }
        var isVoid: Bool { self == .br }
    }

    /// Elements deeper than this go the libxml2 way (which also bounds what it writes).
    private static let deepest = 8

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var open: [Element] = []
        var output = ""
        let media: MediaRewriter?

        init(bytes: UnsafeBufferPointer<UInt8>, media: MediaRewriter?) {
            self.bytes = bytes
            self.media = media
        }

        mutating func read() -> String? {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "<") {
                    guard readTag() else { return nil }
                } else {
                    guard readText() else { return nil }
                }
            }
            return open.isEmpty ? output : nil
        }

        /// Text up to the next `<`: something other than white space, nothing to decode.
        private mutating func readText() -> Bool {
            let start = index
            var onlySpace = true
            while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "&"), 0xEF, 0x7F: return false
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"): break
                case ..<0x20: return false
                default: onlySpace = false
                }
                index += 1
            }
            guard !onlySpace else { return false }
            output += MarkupEscaping.text(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
            return true
        }

        private mutating func readTag() -> Bool {
            index += 1
            let closing = peek(UInt8(ascii: "/"))
            if closing { index += 1 }
            guard let name = readName(), let element = Element(rawValue: name) else { return false }
            if closing {
                guard peek(UInt8(ascii: ">")), open.last == element else { return false }
                index += 1
                open.removeLast()
                output += "</" + name + ">"
                return true
            }
            guard let attributes = readAttributes(selfClosing: element.isVoid) else { return false }
            if element.isBlock ? !open.isEmpty : open.contains(element) || open.count >= SimpleHTML.deepest { return false }
            guard let tag = HTMLPolicy.startTag(name, attributes: attributes, media: media) else { return false }
            output += tag
            if !element.isVoid { open.append(element) }
            return true
        }

        /// ` name="value"` pairs up to `>` (or `/>` for a void element).
        private mutating func readAttributes(selfClosing: Bool) -> [(name: String, value: String)]? {
            var attributes: [(name: String, value: String)] = []
            while true {
                if peek(UInt8(ascii: ">")) {
                    index += 1
                    return attributes
                }
                if selfClosing, peek(UInt8(ascii: "/")), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") {
                    index += 2
                    return attributes
                }
                guard peek(UInt8(ascii: " ")) else { return nil }
                while peek(UInt8(ascii: " ")) { index += 1 }
                if peek(UInt8(ascii: ">")) || peek(UInt8(ascii: "/")) { continue }
                guard let name = readName(), peek(UInt8(ascii: "=")) else { return nil }
                index += 1
                guard peek(UInt8(ascii: "\"")) else { return nil }
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    // Printable ASCII only, nothing to decode.
                    guard (0x20...0x7E).contains(bytes[index]), bytes[index] != UInt8(ascii: "&"), bytes[index] != UInt8(ascii: "<") else { return nil }
                    index += 1
                }
                guard index < bytes.count else { return nil }
                attributes.append((name, String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)))
                index += 1
            }
        }

        /// Lowercase ASCII letters.
        private mutating func readName() -> String? {
            let start = index
            while index < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[index]) { index += 1 }
            guard index > start else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        private func peek(_ byte: UInt8) -> Bool {
            index < bytes.count && bytes[index] == byte
        }
    }
}
