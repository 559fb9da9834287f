import CLibXML2
import FerryCore
import Foundation

/// A pull parser over a file, one node at a time, so memory stays flat however large the
/// export is. Underneath, libxml2's SAX2 push parser is fed the file a piece at a time and
/// what it reports is queued until asked for: libxml2's own pull reader (xmlTextReader)
/// builds and frees a tree node for every element and text, which cost a third of its time.
///
/// Hostile input is expected. The network is never touched, no external DTD or entity is
/// loaded, and any document type declaration is refused outright, which also refuses every
/// entity-expansion bomb (they all need one to declare their entities).
final class XMLStreamReader {
    enum NodeType {
        case element, text, endElement
    }

    struct NameKey: Hashable {
        var namespace: UnsafeRawPointer?
        var localName: UnsafeRawPointer?
    }

    /// libxml2's limit for one text before this reader existed, kept: a post, title or comment
    /// is never near it, and more than that in one element is not an export worth reading.
    static let textLimit = 10_000_000
    static let pieceSize = 1 << 18
    /// Names kept as Swift strings (see `XMLParseState.name`); bounded, for exports that
    /// invent names without end.
    static let namesKept = 4_096

    private static let initializeOnce: Void = xmlInitParser()
    private static let options = Int32(
        bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    private let file: FileHandle
    /// One buffer for every piece: a new one each time was a fresh mapping of zeroed pages.
    private let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: pieceSize, alignment: 16)
    /// Everything the parser's callbacks change, at an address of its own: they reach it from
    /// the parser's user data without reference counting or exclusivity checks, which a
    /// class's properties would cost for every node.
    private let state: UnsafeMutablePointer<XMLParseState>
    private(set) var bytesRead = 0

    init(path: String) throws(FerryError) {
        Self.initializeOnce
        guard let file = FileHandle(forReadingAtPath: path) else { throw FerryError.unreadableExport("the export could not be opened") }
        self.file = file
        state = .allocate(capacity: 1)
        state.initialize(to: XMLParseState())
        var handler = XMLParseState.handler()
        guard let parser = xmlCreatePushParserCtxt(&handler, state, nil, 0, path) else {
            throw FerryError.unreadableExport("the export could not be opened")
        }
        xmlCtxtUseOptions(parser, Self.options)
        state.pointee.parser = parser
    }

    deinit {
        if let parser = state.pointee.parser { xmlFreeParserCtxt(parser) }
        state.deinitialize(count: 1)
        state.deallocate()
        piece.deallocate()
        try? file.close()
    }

    /// Moves to the next node; false at the end of the document.
    func read() throws(FerryError) -> Bool {
        while state.pointee.isDrained {
            if let failure = state.pointee.failure { throw failure }
            if state.pointee.ended { return false }
            try parseNextPiece()
        }
        state.pointee.position += 1
        return true
    }

    var nodeType: NodeType { state.pointee.queued[state.pointee.position - 1].type }
    var depth: Int { state.pointee.queued[state.pointee.position - 1].depth }
    var localName: String { state.pointee.name(state.pointee.queued[state.pointee.position - 1].localName) }
    var namespace: String { state.pointee.name(state.pointee.queued[state.pointee.position - 1].namespace) }

    /// Identifies the current element's qualified name: equal for equal names, for callers
    /// that keep what they derive from a name.
    var nameKey: NameKey {
        let position = state.pointee.position - 1
        return NameKey(
            namespace: state.pointee.queued[position].namespace.map(UnsafeRawPointer.init),
            localName: state.pointee.queued[position].localName.map(UnsafeRawPointer.init)
        )
    }

    /// The current text node's text.
    var text: String { state.pointee.texts[state.pointee.queued[state.pointee.position - 1].payload] }

    /// The value of the attribute `name` (without a namespace prefix) of the current element.
    func attribute(_ name: String) -> String? {
        let node = state.pointee.queued[state.pointee.position - 1]
        return state.pointee.attributes[node.payload..<(node.payload + node.attributeCount)].first { state.pointee.name($0.name) == name }?.value
    }

    /// The current element's attributes without a namespace prefix, in document order.
    var attributes: [(name: String, value: String)] {
        let node = state.pointee.queued[state.pointee.position - 1]
        return state.pointee.attributes[node.payload..<(node.payload + node.attributeCount)].map { (state.pointee.name($0.name), $0.value) }
    }

    /// The text inside the current element, including that of any child elements; leaves the
    /// reader on the element's end.
    func elementText() throws(FerryError) -> String {
        let start = depth
        var text = ""
        while try read() {
            switch nodeType {
            case .text: text += state.pointee.texts[state.pointee.queued[state.pointee.position - 1].payload]
            case .endElement where depth == start: return text
            default: continue
            }
        }
        throw FerryError.unreadableExport("the export ends in the middle of an element")
    }

    /// Hands the text directly inside the current element to `sink` a piece at a time, as the
    /// file is read, instead of collecting it: for a value far larger than `textLimit` (an
    /// upload's base64). Text inside its child elements is not handed over. Leaves the reader
    /// on the element's end.
    func streamText(into sink: (UnsafeBufferPointer<UInt8>) throws(FerryError) -> Void) throws(FerryError) {
        let start = depth
        // What the parser has already reported, queued behind the current node.
        while !state.pointee.isDrained {
            state.pointee.position += 1
            if nodeType == .endElement, depth == start { return }
            if nodeType == .text, depth == start + 1 { try Array(text.utf8).withUnsafeBufferPointer { (bytes) throws(FerryError) in try sink(bytes) } }
        }
        // The element is still open: its text goes to the sink from here on, never queued.
        if state.pointee.openElements == start + 1 {
            try state.pointee.pendingText.withUnsafeBufferPointer { (bytes) throws(FerryError) in try sink(bytes) }
            state.pointee.pendingText.removeAll(keepingCapacity: true)
        }
        state.pointee.divertingDepth = start + 1
        defer { state.pointee.divertingDepth = nil }
        while true {
            if let failure = state.pointee.failure { throw failure }
            if state.pointee.ended { throw FerryError.unreadableExport("the document ends in the middle of an element") }
            try parseNextPiece()
            try state.pointee.diverted.withUnsafeBufferPointer { (bytes) throws(FerryError) in try sink(bytes) }
            state.pointee.diverted.removeAll(keepingCapacity: true)
            while !state.pointee.isDrained {
                state.pointee.position += 1
                if nodeType == .endElement, depth == start { return }
            }
        }
    }

    /// Skips the current element and everything inside it.
    func skipElement() throws(FerryError) {
        let start = depth
        while try read() {
            if nodeType == .endElement, depth == start { return }
        }
        throw FerryError.unreadableExport("the export ends in the middle of an element")
    }

    /// Hands the parser the next piece of the file (at the end, says so), queueing what it reports.
    private func parseNextPiece() throws(FerryError) {
        guard let parser = state.pointee.parser else { return }
        state.pointee.clearQueue()
        var count: Int
        repeat {
            count = Foundation.read(file.fileDescriptor, piece.baseAddress, piece.count)
        } while count < 0 && errno == EINTR
        guard count >= 0 else { throw FerryError.unreadableExport("the export could not be read") }
        bytesRead += count
        let ended = count == 0
        let code = xmlParseChunk(parser, piece.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(count), ended ? 1 : 0)
        if ended { state.pointee.end() }
        // Only fatal errors count: libxml2 also reports a prefix without a namespace
        // declaration, which exports do have and which was always read (see `qualified`).
        if code != 0, parser.pointee.wellFormed == 0 {
            state.pointee.fail(FerryError.unreadableExport("the export is not well-formed XML: \(Self.lastError(of: parser))"))
        }
    }

    private static func lastError(of parser: xmlParserCtxtPtr) -> String {
        guard let error = xmlCtxtGetLastError(parser), let message = error.pointee.message else { return "unknown error" }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return "line \(error.pointee.line): \(text)"
    }

    /// An attribute value as libxml2 hands it over: without entity substitution it writes an
    /// ampersand (from `&amp;` or `&#38;`) as `&#38;`, and with no DTD allowed that is the only
    /// reference left in it, so every `&` starts one.
    static func attributeValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            decoded.append(bytes[index])
            index += bytes[index] == UInt8(ascii: "&") && bytes[index...].starts(with: "&#38;".utf8) ? 5 : 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

/// What the SAX2 callbacks report, queued for `XMLStreamReader` to hand out one node at a time.
private struct XMLParseState {
    /// A node holds no reference: queueing and dropping thousands of them then costs nothing
    /// more than the texts and attributes they point to, kept apart.
    struct Node {
        var type: XMLStreamReader.NodeType
        var depth: Int
        var localName: UnsafePointer<xmlChar>? = nil
        var namespace: UnsafePointer<xmlChar>? = nil
        /// A text's index in `texts`, or an element's first attribute in `attributes`.
        var payload = 0
        var attributeCount = 0
    }

    var parser: xmlParserCtxtPtr?
    var queued: [Node] = []
    var texts: [String] = []
    /// Attributes without a namespace prefix, by local name.
    var attributes: [(name: UnsafePointer<xmlChar>, value: String)] = []
    /// The current node is `queued[position - 1]` (read in place: a copy of a node would count
    /// references to its text and attributes).
    var position = 0
    var openElements = 0
    var pendingText: [UInt8] = []
    /// While set, text directly inside the element open at this depth is collected in
    /// `diverted` (see `XMLStreamReader.streamText`), without the text limit.
    var divertingDepth: Int?
    var diverted: [UInt8] = []
    var ended = false
    /// Why reading stops, once the nodes before the problem have been read.
    var failure: FerryError?
    /// libxml2 keeps one copy of each name in its dictionary, so a name's address identifies
    /// it: each name becomes a Swift string once per export instead of once per element.
    var names: [UnsafeRawPointer: String] = [:]

    var isDrained: Bool { position == queued.count }

    mutating func clearQueue() {
        queued.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        attributes.removeAll(keepingCapacity: true)
        position = 0
    }

    mutating func end() {
        ended = true
        queueText()
    }

    mutating func fail(_ reason: FerryError) {
        guard failure == nil else { return }
        failure = reason
        if let parser { xmlStopParser(parser) }
    }

    mutating func name(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        if let known = names[UnsafeRawPointer(pointer)] { return known }
        let name = String(cString: pointer)
        if names.count < XMLStreamReader.namesKept { names[UnsafeRawPointer(pointer)] = name }
        return name
    }

    private mutating func queueText() {
        guard !pendingText.isEmpty else { return }
        queued.append(Node(type: .text, depth: openElements, payload: texts.count))
        texts.append(String(decoding: pendingText, as: UTF8.self))
        pendingText.removeAll(keepingCapacity: true)
    }

    /// A name from libxml2's dictionary, which lives as long as the parser: element and
    /// namespace names come from it already; anything else is put there.
    private func interned(_ name: UnsafePointer<xmlChar>?) -> UnsafePointer<xmlChar>? {
        guard let name, let dictionary = parser?.pointee.dict, xmlDictOwns(dictionary, name) != 1 else { return name }
        return xmlDictLookup(dictionary, name, -1)
    }

    /// An element whose prefix has no namespace declared is named with its prefix, in no
    /// namespace (`content:encoded` in an export that forgot to declare `content`).
    private func qualified(_ localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?) -> UnsafePointer<xmlChar>?
    {
        guard namespace == nil, let prefix, let dictionary = parser?.pointee.dict else { return interned(localName) }
        return xmlDictQLookup(dictionary, prefix, localName)
    }

    mutating func startElement(
        _ localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?,
        attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int
    ) {
        queueText()
        let first = self.attributes.count
        if let attributes {
            // Five pointers each: local name, prefix, namespace, start and end of the value.
            for index in stride(from: 0, to: count * 5, by: 5) where attributes[index + 1] == nil {
                guard let name = interned(attributes[index]), let start = attributes[index + 3], let end = attributes[index + 4] else { continue }
                self.attributes.append((name, XMLStreamReader.attributeValue(UnsafeBufferPointer(start: start, count: end - start))))
            }
        }
        queued.append(
            Node(
                type: .element, depth: openElements, localName: qualified(localName, prefix: prefix, namespace: namespace), namespace: interned(namespace),
                payload: first, attributeCount: self.attributes.count - first
            ))
        openElements += 1
    }

    mutating func endElement(_ localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?) {
        queueText()
        openElements -= 1
        queued.append(
            Node(
                type: .endElement, depth: openElements, localName: qualified(localName, prefix: prefix, namespace: namespace), namespace: interned(namespace)
            ))
    }

    mutating func characters(_ bytes: UnsafePointer<xmlChar>?, count: Int) {
        guard let bytes, failure == nil else { return }
        if openElements == divertingDepth {
            diverted.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
            return
        }
        guard pendingText.count + count <= XMLStreamReader.textLimit else {
            fail(FerryError.unreadableExport("the export holds a text of more than 10 MB in one element (a post, title or comment), which is not read"))
            return
        }
        pendingText.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }

    mutating func refuseDocumentType() {
        fail(FerryError.unreadableExport("the export declares a document type (DTD); exports never need one, and it is not read"))
    }

    /// The SAX2 callbacks, each given this state as the parser's user data. Entities, DTDs and
    /// everything else have none, so libxml2 does nothing with them.
    static func handler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { context, localName, prefix, namespace, _, _, attributeCount, _, attributes in
            parseState(context)?.pointee.startElement(localName, prefix: prefix, namespace: namespace, attributes: attributes, count: Int(attributeCount))
        }
        handler.endElementNs = { context, localName, prefix, namespace in
            parseState(context)?.pointee.endElement(localName, prefix: prefix, namespace: namespace)
        }
        handler.characters = { context, bytes, count in parseState(context)?.pointee.characters(bytes, count: Int(count)) }
        handler.ignorableWhitespace = handler.characters
        handler.internalSubset = { context, _, _, _ in parseState(context)?.pointee.refuseDocumentType() }
        return handler
    }
}

private func parseState(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<XMLParseState>? {
    context?.assumingMemoryBound(to: XMLParseState.self)
}
