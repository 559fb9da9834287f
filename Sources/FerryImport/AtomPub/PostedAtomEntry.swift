import FerryCore
import FerryRender
import Foundation

/// An Atom entry an AtomPub client sends to create or replace a post (RFC 5023 §9), read as
/// hostile input by the same stream reader as the imports: any document type declaration is
/// refused (so every entity bomb and external entity), the network is never touched.
///
/// Only what a ferry post holds is read: the title, the content as HTML, the categories as
/// tags, the publication date, and whether `app:control` keeps it a draft. Everything else
/// (ids, links, authors, `app:edited`) is the server's to say and is ignored, as §9.2 allows.
public struct PostedAtomEntry: Sendable, Equatable {
    public var title: String
    /// The content as HTML, before sanitizing; `text` content becomes an escaped paragraph.
    public var html: String
    public var categories: [String]
    public var published: Date?
    public var isDraft: Bool

    static let atom = "http://www.w3.org/2005/Atom"
    static let app = "http://www.w3.org/2007/app"

    public static func read(path: String) throws(FerryError) -> PostedAtomEntry {
        do {
            return try Parser(reader: try XMLStreamReader(path: path)).entry()
        } catch  where error.code == .unreadableExport || error.code == .malformedRequest {
            throw FerryError(.malformedRequest, "the entry is not a well-formed Atom entry: \(error.message)", cause: error)
        }
    }

    private struct Parser {
        let reader: XMLStreamReader

        func entry() throws(FerryError) -> PostedAtomEntry {
            guard try nextElement(), reader.localName == "entry", reader.namespace == PostedAtomEntry.atom else {
                throw FerryError(.malformedRequest, "the document is not an Atom entry (atom:entry)")
            }
            let depth = reader.depth
            var entry = PostedAtomEntry(title: "", html: "", categories: [], published: nil, isDraft: false)
            while try reader.read() {
                switch reader.nodeType {
                case .element where reader.depth == depth + 1:
                    try read(into: &entry)
                case .endElement where reader.depth == depth:
                    return entry
                default:
                    continue
                }
            }
            throw FerryError(.malformedRequest, "the entry ends too soon")
        }

        /// One child of `atom:entry`.
        private func read(into entry: inout PostedAtomEntry) throws(FerryError) {
            switch (reader.namespace, reader.localName) {
            case (PostedAtomEntry.atom, "title"):
                entry.title = try text(asHTML: false)
            case (PostedAtomEntry.atom, "content"):
                guard reader.attribute("src") == nil else {
                    throw FerryError.invalid("content", "content kept elsewhere (src) is not taken: send the HTML inside the entry")
                }
                entry.html = try text(asHTML: true)
            case (PostedAtomEntry.atom, "category"):
                if let term = (reader.attribute("label") ?? reader.attribute("term"))?.trimmedText, !term.isEmpty, !entry.categories.contains(term) {
                    entry.categories.append(term)
                }
                try reader.skipElement()
            case (PostedAtomEntry.atom, "published"):
                let text = try reader.elementText().trimmedText
                entry.published = try? Date(text, strategy: .iso8601)
            case (PostedAtomEntry.app, "control"):
                entry.isDraft = try isDraft()
            default:
                try reader.skipElement()
            }
        }

        /// An Atom text construct (RFC 4287 §3.1): as HTML for content, as plain text for a title.
        private func text(asHTML: Bool) throws(FerryError) -> String {
            let type = reader.attribute("type") ?? "text"
            switch type {
            case "xhtml":
                let markup = try xhtml()
                return asHTML ? markup : PlainText.fromHTML(markup)
            case "html":
                let html = try reader.elementText()
                return asHTML ? html : PlainText.fromHTML(html)
            case "text":
                let text = try reader.elementText()
                return asHTML ? "<p>\(MarkupEscaping.text(text.trimmedText))</p>" : text.trimmedText
            default:
                throw FerryError(.unsupportedType, "content of type '\(type.prefix(60))' is not taken: send text, html or xhtml", field: "content")
            }
        }

        /// The markup inside the one XHTML `div` an `xhtml` text construct holds (the `div`
        /// itself is not part of it, RFC 4287 §3.1.1.3); what lies outside it is ignored.
        private func xhtml() throws(FerryError) -> String {
            let depth = reader.depth
            var markup = ""
            while try reader.read() {
                switch reader.nodeType {
                case .element where reader.depth == depth + 1 && reader.localName == "div" && markup.isEmpty:
                    markup = try reader.innerMarkup()
                case .element:
                    try reader.skipElement()
                case .endElement where reader.depth == depth:
                    return markup
                default:
                    continue
                }
            }
            throw FerryError(.malformedRequest, "the xhtml content ends too soon")
        }

        /// Whether `app:control` holds `app:draft` saying `yes` (RFC 5023 §13.1.1).
        private func isDraft() throws(FerryError) -> Bool {
            let depth = reader.depth
            var draft = false
            while try reader.read() {
                switch reader.nodeType {
                case .element where reader.namespace == PostedAtomEntry.app && reader.localName == "draft":
                    draft = try reader.elementText().trimmedText.lowercased() == "yes"
                case .endElement where reader.depth == depth:
                    return draft
                default:
                    continue
                }
            }
            throw FerryError(.malformedRequest, "app:control ends too soon")
        }

        private func nextElement() throws(FerryError) -> Bool {
            while try reader.read() {
                if reader.nodeType == .element { return true }
            }
            return false
        }
    }
}
