import CLibXML2
import Foundation

/// A pull parser over a file (libxml2's xmlTextReader): one node at a time, so memory stays
/// flat however large the export is.
///
/// Hostile input is expected. The network is never touched, no external DTD or entity is
/// loaded, and any document type declaration is refused outright, which also refuses every
/// entity-expansion bomb (they all need one to declare their entities).
final class XMLStreamReader {
    enum NodeType: Int32 {
        case element = 1, text = 3, cdata = 4, entityReference = 5, comment = 8, documentType = 10
        case whitespace = 13, significantWhitespace = 14, endElement = 15, other = -1
    }

    private let reader: xmlTextReaderPtr
    private(set) var nodeType: NodeType = .other
    /// libxml2 keeps one copy of each name in its dictionary, so a name's address identifies
    /// it: each name becomes a Swift string once per export instead of once per element (a
    /// large part of reading time). Bounded, for exports that invent names without end.
    private var names: [UnsafeRawPointer: String] = [:]
    static let namesKept = 4_096

    private static let initializeOnce: Void = xmlInitParser()
    private static let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    init(path: String) throws(ImportError) {
        Self.initializeOnce
        guard let reader = xmlReaderForFile(path, nil, Self.options) else {
            throw ImportError("the export could not be opened")
        }
        self.reader = reader
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// Moves to the next node; false at the end of the document.
    func read() throws(ImportError) -> Bool {
        switch xmlTextReaderRead(reader) {
        case 1:
            nodeType = NodeType(rawValue: xmlTextReaderNodeType(reader)) ?? .other
            if nodeType == .documentType {
                throw ImportError("the export declares a document type (DTD); exports never need one, and it is not read")
            }
            if nodeType == .entityReference {
                throw ImportError("the export uses an undeclared entity; only &amp; &lt; &gt; &quot; &apos; and character references are read")
            }
            return true
        case 0:
            return false
        default:
            if Self.lastError().hasSuffix("huge text node") {
                throw ImportError("the export holds a text of more than 10 MB in one element (a post, title or comment), which is not read")
            }
            throw ImportError("the export is not well-formed XML: \(Self.lastError())")
        }
    }

    var localName: String { name(xmlTextReaderConstLocalName(reader)) }
    var namespace: String { name(xmlTextReaderConstNamespaceUri(reader)) }

    /// Identifies the current element's qualified name: equal for equal names, for callers
    /// that keep what they derive from a name.
    var nameKey: NameKey {
        NameKey(namespace: UnsafeRawPointer(xmlTextReaderConstNamespaceUri(reader)), localName: UnsafeRawPointer(xmlTextReaderConstLocalName(reader)))
    }

    struct NameKey: Hashable {
        var namespace: UnsafeRawPointer?
        var localName: UnsafeRawPointer?
    }
    var depth: Int { Int(xmlTextReaderDepth(reader)) }
    var bytesRead: Int { max(0, Int(xmlTextReaderByteConsumed(reader))) }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The value of the attribute `name` (without a namespace) of the current element.
    func attribute(_ name: String) -> String? {
        guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        return string(xmlTextReaderConstValue(reader))
    }

    /// The text inside the current element, including that of any child elements; leaves the
    /// reader on the element's end.
    func elementText() throws(ImportError) -> String {
        guard !isEmptyElement else { return "" }
        let start = depth
        var text = ""
        while try read() {
            switch nodeType {
            case .text, .cdata, .whitespace, .significantWhitespace:
                text += string(xmlTextReaderConstValue(reader))
            case .endElement where depth == start:
                return text
            default:
                continue
            }
        }
        throw ImportError("the export ends in the middle of an element")
    }

    /// Skips the current element and everything inside it.
    func skipElement() throws(ImportError) {
        guard !isEmptyElement else { return }
        let start = depth
        while try read() {
            if nodeType == .endElement, depth == start { return }
        }
        throw ImportError("the export ends in the middle of an element")
    }

    private func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private func name(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        if let known = names[UnsafeRawPointer(pointer)] { return known }
        let name = String(cString: pointer)
        if names.count < Self.namesKept { names[UnsafeRawPointer(pointer)] = name }
        return name
    }

    private static func lastError() -> String {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return "unknown error" }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return "line \(error.pointee.line): \(text)"
    }
}
