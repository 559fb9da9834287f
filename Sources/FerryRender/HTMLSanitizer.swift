import CLibXML2

/// Turns untrusted HTML (posts, comments, imports) into HTML that is safe to show on ferry's
/// pages and in feeds.
///
/// libxml2's HTML parser reads the input the way a lenient browser would (unclosed tags,
/// entities, junk), and the output is then *written by us* from an allow-list: only the
/// elements and attributes in `HTMLPolicy` survive, every text and attribute is re-escaped,
/// and URLs are checked after the parser has decoded their entities. Nothing of the input's
/// own serialization reaches the output, so tricks that rely on how it was spelled cannot.
public struct HTMLSanitizer: Sendable {
    public init() {
        Self.initializeOnce
    }

    /// libxml2 wants `xmlInitParser` once before parsing from several threads.
    fileprivate static let initializeOnce: Void = xmlInitParser()

    fileprivate static let options = Int32(
        bitPattern:
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue
    )

    private static let wrapperStart = "<div>"

    /// The safe HTML for `html`; empty when nothing of it may be kept.
    ///
    /// `media` sees every address that survives and may refer to a photo, video or sound
    /// (`src` and `poster` of img, video, audio, source; `href` of links) and may give a new
    /// address for it (a copy stored here); returning nil keeps the original.
    public func sanitize(_ html: String, media: MediaRewriter? = nil) -> String {
        Self.sanitize(html, media: media) { characters, count in
            htmlReadMemory(characters, count, nil, "UTF-8", Self.options)
        }
    }

    /// Parses `html` with `read` (given the bytes and their count) and writes what may be kept.
    fileprivate static func sanitize(
        _ html: String, media: MediaRewriter?, read: (UnsafePointer<CChar>, Int32) -> htmlDocPtr?
    ) -> String {
        SimpleHTML.sanitize(html, media: media) ?? parsed(html, media: media, read: read)
    }

    /// `sanitize` always through libxml2's parser (tests compare `SimpleHTML` with it).
    func sanitizeByParsing(_ html: String) -> String {
        Self.parsed(html, media: nil) { characters, count in htmlReadMemory(characters, count, nil, "UTF-8", Self.options) }
    }

    private static func parsed(
        _ html: String, media: MediaRewriter?, read: (UnsafePointer<CChar>, Int32) -> htmlDocPtr?
    ) -> String {
        guard !html.isEmpty else { return "" }
        // Inside a block the parser adds no implied `<p>` around loose text; the wrapper itself
        // is never written.
        var input = Array(wrapperStart.utf8)
        input.append(contentsOf: html.utf8)
        guard input.count <= Int(Int32.max) else { return "" }
        // The encoding is given, so a `<meta charset>` in the input cannot change how it is read.
        let parsed = input.withUnsafeBufferPointer { bytes in
            bytes.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { read($0, Int32(bytes.count)) }
            }
        }
        guard let document = parsed else { return "" }
        defer { xmlFreeDoc(document) }
        let root = UnsafeMutableRawPointer(document).assumingMemoryBound(to: xmlNode.self)
        var writer = SafeHTMLWriter(wrapper: wrapper(in: root), media: media)
        writer.write(childrenOf: root)
        return writer.output
    }

    /// The first element inside `<body>`: the `<div>` put before the input.
    private static func wrapper(in root: xmlNodePtr) -> xmlNodePtr? {
        var node = xmlDocGetRootElement(UnsafeMutableRawPointer(root).assumingMemoryBound(to: xmlDoc.self))
        for name in ["html", "body", "div"] {
            while let current = node, current.pointee.type != XML_ELEMENT_NODE { node = current.pointee.next }
            guard let current = node, current.pointee.name.map({ String(cString: $0) }) == name else { return nil }
            if name == "div" { return current }
            node = current.pointee.children
        }
        return nil
    }
}

/// Walks a parsed document without recursion (input may nest thousands deep) and writes
/// what the policy allows.
private struct SafeHTMLWriter {
    /// An element whose content is written without its own tags.
    let wrapper: xmlNodePtr?
    var output = ""
    /// For each element entered: its name if it was written, nil when only its content is kept.
    private var closers: [String?] = []

    let media: MediaRewriter?

    init(wrapper: xmlNodePtr?, media: MediaRewriter?) {
        self.wrapper = wrapper
        self.media = media
    }

    mutating func write(childrenOf root: xmlNodePtr) {
        var node = root.pointee.children
        while let current = node {
            if enter(current) {
                if let child = current.pointee.children {
                    node = child
                    continue
                }
                closeElement()
            }
            node = next(after: current, root: root)
        }
    }

    private mutating func closeElement() {
        if let name = closers.popLast() ?? nil {
            output += "</"
            output += name
            output += ">"
        }
    }

    /// Writes the start of `node`; true when it was entered (its closer is pushed) and its
    /// children should be walked next.
    private mutating func enter(_ node: xmlNodePtr) -> Bool {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content {
                output += MarkupEscaping.text(String(cString: content))
            }
            return false
        case XML_ELEMENT_NODE:
            let name = Self.name(of: node)
            let treatment = HTMLPolicy.treatment(of: name)
            if case .dropped = treatment { return false }
            guard node != wrapper, case .kept(let isVoid) = treatment, closers.count < HTMLPolicy.maximumDepth,
                let start = startTag(name, node)
            else {
                closers.append(nil)
                return true
            }
            output += start
            closers.append(isVoid ? nil : name)
            return true
        default:
            return false
        }
    }

    /// The node to visit after `node` and its children, closing every element left on the way up.
    private mutating func next(after node: xmlNodePtr, root: xmlNodePtr) -> xmlNodePtr? {
        var current = node
        while true {
            if let sibling = current.pointee.next { return sibling }
            guard let parent = current.pointee.parent, parent != root else { return nil }
            closeElement()
            current = parent
        }
    }

    /// The start tag of `node` as the policy allows it.
    private func startTag(_ name: String, _ node: xmlNodePtr) -> String? {
        var attributes: [(name: String, value: String)] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            attributes.append((Self.lowercasedName(current.pointee.name), Self.value(of: current)))
            attribute = current.pointee.next
        }
        return HTMLPolicy.startTag(name, attributes: attributes, media: media)
    }

    private static func name(of node: xmlNodePtr) -> String {
        lowercasedName(node.pointee.name)
    }

    /// libxml2's HTML parser gives names in lowercase already; lowercased again only if not.
    private static func lowercasedName(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let name = pointer.map({ String(cString: $0) }) else { return "" }
        return name.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) ? name.lowercased() : name
    }

    /// An attribute's value with entities already decoded by the parser.
    private static func value(of attribute: xmlAttrPtr) -> String {
        var value = ""
        var child = attribute.pointee.children
        while let current = child {
            if let content = current.pointee.content { value += String(cString: content) }
            child = current.pointee.next
        }
        return value
    }
}

extension HTMLSanitizer {
    /// Sanitizes many inputs one after another on one thread, with one libxml2 parser context
    /// reset between inputs: making a context (and its name dictionary) for each input was
    /// most of the cost of sanitizing an import's short comments. The context is renewed now
    /// and then, so names collected from hostile input cannot grow without bound.
    public final class Session {
        private var context: htmlParserCtxtPtr?
        private var uses = 0
        private static let usesPerContext = 1_000

        public init() {
            HTMLSanitizer.initializeOnce
        }

        deinit {
            htmlFreeParserCtxt(context)
        }

        /// The same as `HTMLSanitizer.sanitize(_:media:)`.
        public func sanitize(_ html: String, media: MediaRewriter? = nil) -> String {
            if uses == Self.usesPerContext {
                htmlFreeParserCtxt(context)
                context = nil
            }
            if context == nil {
                context = htmlNewParserCtxt()
                uses = 0
            }
            guard let context else { return HTMLSanitizer().sanitize(html, media: media) }
            uses += 1
            return HTMLSanitizer.sanitize(html, media: media) { characters, count in
                htmlCtxtReadMemory(context, characters, count, nil, "UTF-8", HTMLSanitizer.options)
            }
        }
    }
}
