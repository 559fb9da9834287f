import FerryCore
import Foundation

/// Reads WordPress eXtended RSS (WXR 1.0–1.2) and plain RSS 2.0 as blogs publish it: WXR is
/// RSS with WordPress's namespace, so one reader serves both. Without `wp:` elements an item
/// is a published post.
public struct RSSExportReader: XMLExportReader {
    let xml: XMLStreamReader
    var items = ExportItemQueue()
    /// Ids given out so far: exports do repeat guids (WordPress's own test data has two posts
    /// copied with their guid), and every post needs its own.
    private var usedIDs: Set<String> = []
    private let dates = ExportDates()
    private let elements = ElementNames()
    private var writtenByFerry = false

    public init(path: String) throws(FerryError) {
        xml = try XMLStreamReader(path: path)
    }

    public var bytesRead: Int { xml.bytesRead }

    public mutating func next() throws(FerryError) -> ExportItem? { try nextItem() }

    mutating func readElement() throws(FerryError) {
        switch (Namespace(xml.namespace), xml.localName, xml.depth) {
        case (.none, "rss", 0), (.none, "channel", 1):
            return
        case (.none, "item", 2):
            for item in try readItem() { items.append(unique(item)) }
        case (.none, "title", 2):
            items.channel.title = try xml.elementText().trimmedText
        case (.none, "link", 2):
            items.channel.link = try xml.elementText().trimmedText
        case (.none, "language", 2):
            items.channel.language = try xml.elementText().trimmedText
        case (.none, "generator", 2):
            // ferry's offline copy holds HTML as ferry shows it, not WordPress's stored text.
            writtenByFerry = try xml.elementText().trimmedText == WXRExport.generator
        case (.other, "link", 2) where xml.namespace == BloggerExportReader.atom:
            if xml.attribute("rel") == "self", let href = xml.attribute("href") { items.channel.feeds.append(href) }
            try xml.skipElement()
        case (_, _, 0) where xml.localName != "rss":
            throw FerryError.unreadableExport("this is not an RSS export: its root element is <\(xml.localName)>")
        default:
            if xml.depth == 2 { try xml.skipElement() }
        }
    }

    /// `item` with a source id not used before in this export: a repeated guid gets the
    /// post's WordPress id (or its position) appended, the same way on every import.
    private mutating func unique(_ item: ExportItem) -> ExportItem {
        guard case .post(var post) = item else { return item }
        if !usedIDs.insert(post.sourceID).inserted {
            let base = post.sourceID + "#" + (post.numericID.map { "wp-post-\($0)" } ?? "item")
            var candidate = base
            var number = 2
            while !usedIDs.insert(candidate).inserted {
                candidate = "\(base)-\(number)"
                number += 1
            }
            post.sourceID = candidate
        }
        return .post(post)
    }

    /// One `<item>`: a post, a page, an attachment, or something left behind (with its
    /// comments that are not approved counted too).
    private func readItem() throws(FerryError) -> [ExportItem] {
        var fields = Fields<ItemField>()
        var tags: [String] = []
        var enclosures: [String] = []
        var comments: [ExportedComment] = []
        var leftBehindComments = 0
        let itemDepth = xml.depth
        while try xml.read() {
            if xml.nodeType == .endElement, xml.depth == itemDepth { break }
            guard xml.nodeType == .element, xml.depth == itemDepth + 1 else { continue }
            let element = elements.describe(xml)
            switch (element.namespace, element.localName) {
            case (.none, "category"):
                let term = try xml.elementText().trimmedText
                if !term.isEmpty { tags.append(term) }
            case (.none, "enclosure"):
                if let url = xml.attribute("url") { enclosures.append(url) }
                try xml.skipElement()
            case (.wordpress, "comment"):
                switch try readComment() {
                case .some(let comment): comments.append(comment)
                case .none: leftBehindComments += 1
                }
            default:
                if let field = element.itemField { fields[field] = try xml.elementText() } else { try xml.skipElement() }
            }
        }
        return item(fields, tags: tags, enclosures: enclosures, comments: comments, leftBehindComments: leftBehindComments)
    }

    private func item(
        _ fields: Fields<ItemField>, tags: [String], enclosures: [String], comments: [ExportedComment], leftBehindComments: Int
    ) -> [ExportItem] {
        let type = fields[.postType]?.trimmedText ?? "post"
        let status = fields[.status]?.trimmedText ?? "publish"
        let link = fields[.link]?.trimmedText.nonEmpty
        let numericID = fields[.postID]?.trimmedText.nonEmpty
        let guid = fields[.guid]?.trimmedText.nonEmpty
        let sourceID = guid ?? link ?? numericID.map { "wp-post:\($0)" } ?? ""
        var items: [ExportItem] = []
        if leftBehindComments > 0 { items.append(.leftBehind(kind: "unapproved comment", count: leftBehindComments)) }
        switch (type, status) {
        case ("attachment", _):
            guard let url = fields[.attachmentURL]?.trimmedText.nonEmpty ?? guid else {
                return items + [.leftBehind(kind: "attachment without a URL", count: 1)]
            }
            return items + [
                .attachment(
                    ExportedAttachment(
                        sourceID: sourceID, url: url, numericID: numericID, parentNumericID: fields[.postParent]?.trimmedText.nonEmpty
                    ))
            ]
        case ("post", "publish"), ("page", "publish"):
            guard !sourceID.isEmpty else { return items + [.leftBehind(kind: "post without an id or link", count: 1)] }
            let content = fields[.content] ?? fields[.description] ?? ""
            let post = ExportedPost(
                sourceID: sourceID, kind: type == "page" ? .page : .post,
                title: fields[.title]?.trimmedText ?? "", content: content, format: fields[.postType] == nil || writtenByFerry ? .html : .wordpress,
                publishedAt: dates.wordpressGMT(fields[.postDateGMT]) ?? dates.rfc822(fields[.pubDate])
                    ?? dates.wordpressGMT(fields[.postDate]) ?? dates.rfc822(fields[.dublinCoreDate]),
                tags: tags, link: link, numericID: numericID, slugHint: fields[.postName]?.trimmedText.nonEmpty,
                enclosures: enclosures, comments: comments
            )
            return items + [.post(post)]
        case ("post", _), ("page", _):
            return items + [.leftBehind(kind: status, count: 1)]
        default:
            return items + [.leftBehind(kind: type.replacingOccurrences(of: "_", with: " "), count: 1)]
        }
    }

    /// A `<wp:comment>`, or nil when it is not an approved comment (pending, spam, trash).
    private func readComment() throws(FerryError) -> ExportedComment? {
        var fields = Fields<CommentField>()
        let start = xml.depth
        while try xml.read() {
            if xml.nodeType == .endElement, xml.depth == start { break }
            if xml.nodeType == .element, xml.depth == start + 1 {
                if let field = elements.describe(xml).commentField { fields[field] = try xml.elementText() } else { try xml.skipElement() }
            }
        }
        guard fields[.approved]?.trimmedText == "1",
            let id = fields[.id]?.trimmedText.nonEmpty
        else { return nil }
        let parent = fields[.parent]?.trimmedText
        return ExportedComment(
            sourceID: id, parentID: parent == "0" ? nil : parent?.nonEmpty,
            authorName: fields[.author]?.trimmedText.nonEmpty ?? "Anonymous",
            authorURL: fields[.authorURL]?.trimmedText.nonEmpty,
            content: fields[.content] ?? "", format: writtenByFerry ? .html : .wordpress,
            publishedAt: dates.wordpressGMT(fields[.dateGMT]) ?? dates.wordpressGMT(fields[.date])
        )
    }
}

/// What the reader derives from an element's name, worked out once per name (an export has a
/// few dozen) rather than for each of its million elements.
private final class ElementNames {
    struct Description {
        var namespace: Namespace
        var localName: String
        /// The item field the element holds, if the reader uses it.
        var itemField: ItemField?
        /// The comment field the element holds, if the reader uses it.
        var commentField: CommentField?
    }

    private var known: [XMLStreamReader.NameKey: Description] = [:]

    func describe(_ xml: XMLStreamReader) -> Description {
        let key = xml.nameKey
        if let description = known[key] { return description }
        let namespace = Namespace(xml.namespace)
        let description = Description(
            namespace: namespace, localName: xml.localName,
            itemField: ItemField.allCases.first { $0.name == namespace.prefix + xml.localName },
            commentField: CommentField.allCases.first { $0.name == xml.localName }
        )
        if known.count < XMLStreamReader.namesKept { known[key] = description }
        return description
    }
}

/// A field kept by its position: items and comments have a few fields each, read for every
/// one of them, and a dictionary keyed by name cost more than the rest of reading them.
private protocol FieldName: CaseIterable, RawRepresentable<Int> {}

/// The text of each field an item or comment had, by field.
private struct Fields<Field: FieldName> {
    private var values = [String?](repeating: nil, count: Field.allCases.count)

    subscript(field: Field) -> String? {
        get { values[field.rawValue] }
        set { values[field.rawValue] = newValue }
    }
}

/// The fields of an RSS or WXR `item` the reader uses.
private enum ItemField: Int, FieldName {
    case postType, status, link, postID, guid, attachmentURL, postParent, content, description, title
    case postDateGMT, pubDate, postDate, dublinCoreDate, postName

    /// The element's name, with the prefix of its namespace as `Namespace` names it.
    var name: String {
        switch self {
        case .postType: "wp:post_type"
        case .status: "wp:status"
        case .link: "link"
        case .postID: "wp:post_id"
        case .guid: "guid"
        case .attachmentURL: "wp:attachment_url"
        case .postParent: "wp:post_parent"
        case .content: "content:encoded"
        case .description: "description"
        case .title: "title"
        case .postDateGMT: "wp:post_date_gmt"
        case .pubDate: "pubDate"
        case .postDate: "wp:post_date"
        case .dublinCoreDate: "dc:date"
        case .postName: "wp:post_name"
        }
    }
}

/// The fields of a `wp:comment` the reader uses.
private enum CommentField: Int, FieldName {
    case approved, id, parent, author, authorURL, content, dateGMT, date

    /// The element's local name (in any namespace: exports differ).
    var name: String {
        switch self {
        case .approved: "comment_approved"
        case .id: "comment_id"
        case .parent: "comment_parent"
        case .author: "comment_author"
        case .authorURL: "comment_author_url"
        case .content: "comment_content"
        case .dateGMT: "comment_date_gmt"
        case .date: "comment_date"
        }
    }
}

/// The namespaces an RSS export uses, by meaning rather than by the prefix it happens to use.
enum Namespace: Equatable {
    case none, wordpress, content, excerpt, dublinCore, other

    /// The URIs exports actually use, looked up without searching strings for every element.
    private static let known: [String: Namespace] = [
        "": .none, "http://purl.org/rss/1.0/modules/content/": .content, "http://purl.org/dc/elements/1.1/": .dublinCore,
        "http://wordpress.org/export/1.0/": .wordpress, "http://wordpress.org/export/1.1/": .wordpress, "http://wordpress.org/export/1.2/": .wordpress,
        "https://wordpress.org/export/1.2/": .wordpress,
        "http://wordpress.org/export/1.0/excerpt/": .excerpt, "http://wordpress.org/export/1.1/excerpt/": .excerpt,
        "http://wordpress.org/export/1.2/excerpt/": .excerpt, "https://wordpress.org/export/1.2/excerpt/": .excerpt,
    ]

    init(_ uri: String) {
        if let namespace = Self.known[uri] {
            self = namespace
            return
        }
        switch uri {
        case "": self = .none
        case "http://purl.org/rss/1.0/modules/content/": self = .content
        case "http://purl.org/dc/elements/1.1/": self = .dublinCore
        case _ where uri.contains("wordpress.org/export/") && uri.hasSuffix("/excerpt/"): self = .excerpt
        case _ where uri.contains("wordpress.org/export/"): self = .wordpress
        default: self = .other
        }
    }

    var prefix: String {
        switch self {
        case .none: ""
        case .wordpress: "wp:"
        case .content: "content:"
        case .excerpt: "excerpt:"
        case .dublinCore: "dc:"
        case .other: "other:"
        }
    }
}

extension String {
    /// Trimmed in pure Swift: Foundation's trimming bridges through NSString, which showed up
    /// as a tenth of an import's time.
    var trimmedText: String { trimmingWhiteSpace() }
    var nonEmpty: String? { isEmpty ? nil : self }
}
