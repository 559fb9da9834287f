import FerryCore
import FerryRender

extension XMLStreamReader {
    /// HTML's elements that have no end tag: written `<br>`, never `<br></br>` (which an HTML
    /// parser reads as two line breaks).
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// The markup inside the current element written out again as HTML: elements by their
    /// local name with their attributes, text escaped. Atom's `xhtml` content arrives as
    /// elements rather than text; what this returns still goes through the sanitizer. Leaves
    /// the reader on the element's end.
    func innerMarkup() throws(FerryError) -> String {
        let start = depth
        var markup = ""
        var open: [String] = []
        while try read() {
            switch nodeType {
            case .text:
                markup += MarkupEscaping.text(text)
            case .element:
                let name = localName
                markup += "<" + name
                for (attribute, value) in attributes { markup += " \(attribute)=\"\(MarkupEscaping.attribute(value))\"" }
                markup += ">"
                open.append(name)
            case .endElement where depth == start:
                return markup
            case .endElement:
                if let name = open.popLast(), !Self.voidElements.contains(name) { markup += "</\(name)>" }
            }
        }
        throw FerryError.unreadableExport("the document ends in the middle of an element")
    }
}
