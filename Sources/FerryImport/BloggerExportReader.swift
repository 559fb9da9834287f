import FerryCore
import Foundation

/// Reads Blogger's Atom exports in both forms: the classic one, where an entry's kind is a
/// `category` of scheme `http://schemas.google.com/g/2005#kind` and drafts carry
/// `app:control/app:draft`, and the 2018 one, with `blogger:type` and `blogger:status`.
/// Comments are separate entries, passed on as `.comment` with the id of their post.
public struct BloggerExportReader: XMLExportReader {
    let xml: XMLStreamReader
    var items = ExportItemQueue()
    private let dates = ExportDates()

    static let atom = "http://www.w3.org/2005/Atom"
    static let blogger2018 = "http://schemas.google.com/blogger/2018"
    static let kindScheme = "http://schemas.google.com/g/2005#kind"
    static let threading = "http://purl.org/syndication/thread/1.0"
    static let publishing = "http://purl.org/atom/app#"

    public init(path: String) throws(FerryError) {
        xml = try XMLStreamReader(path: path)
    }

    public var bytesRead: Int { xml.bytesRead }

    public mutating func next() throws(FerryError) -> ExportItem? { try nextItem() }

    mutating func readElement() throws(FerryError) {
        if xml.depth == 0 {
            guard xml.localName == "feed", xml.namespace == Self.atom else {
                throw FerryError.unreadableExport("this is not a Blogger export: its root element is <\(xml.localName)>")
            }
            return
        }
        guard xml.depth == 1, xml.namespace == Self.atom else {
            if xml.depth == 1 { try xml.skipElement() }
            return
        }
        switch xml.localName {
        case "entry":
            items.append(try readEntry())
        case "title":
            items.channel.title = try xml.elementText().trimmedText
        case "link":
            if xml.attribute("rel") == "alternate" { items.channel.link = xml.attribute("href") }
            if ["self", "http://schemas.google.com/g/2005#feed"].contains(xml.attribute("rel") ?? ""), let href = xml.attribute("href") {
                items.channel.feeds.append(href)
            }
            try xml.skipElement()
        default:
            try xml.skipElement()
        }
    }

    private struct Entry {
        var fields: [String: String] = [:]
        var labels: [String] = []
        var kind: String?
        var alternate: String?
        var inReplyTo: String?
        var replyToComment: String?
        var draft = false
    }

    private func readEntry() throws(FerryError) -> ExportItem {
        var entry = Entry()
        let start = xml.depth
        while try xml.read() {
            if xml.nodeType == .endElement, xml.depth == start { break }
            guard xml.nodeType == .element else { continue }
            let namespace = xml.namespace
            let name = xml.localName
            switch (namespace, name) {
            case (Self.atom, "category"):
                let term = xml.attribute("term") ?? ""
                if xml.attribute("scheme") == Self.kindScheme {
                    entry.kind = term.components(separatedBy: "#").last
                } else if !term.isEmpty {
                    entry.labels.append(term)
                }
                try xml.skipElement()
            case (Self.atom, "link"):
                if xml.attribute("rel") == "alternate" { entry.alternate = xml.attribute("href") }
                if xml.attribute("rel") == "related" { entry.replyToComment = xml.attribute("href") }
                try xml.skipElement()
            case (Self.threading, "in-reply-to"):
                entry.inReplyTo = xml.attribute("ref")
                try xml.skipElement()
            case (Self.publishing, "draft"), ("http://www.w3.org/2007/app", "draft"):
                entry.draft = try xml.elementText().trimmedText == "yes"
            case (Self.atom, "author"):
                entry.fields["author"] = try authorName()
            case (Self.atom, _), (Self.blogger2018, _):
                if xml.depth == start + 1 {
                    entry.fields[(namespace == Self.blogger2018 ? "blogger:" : "") + name] = try xml.elementText()
                }
            default:
                continue
            }
        }
        return item(entry)
    }

    private func authorName() throws(FerryError) -> String? {
        let start = xml.depth
        var name: String?
        while try xml.read() {
            if xml.nodeType == .endElement, xml.depth == start { break }
            if xml.nodeType == .element, xml.localName == "name" { name = try xml.elementText().trimmedText }
        }
        return name
    }

    private func item(_ entry: Entry) -> ExportItem {
        let fields = entry.fields
        let id = fields["id"]?.trimmedText ?? ""
        // The 2018 form says POST / PAGE / COMMENT and LIVE / DRAFT / SOFT_TRASHED; the classic
        // form says …#post and marks drafts with app:draft.
        let kind = (fields["blogger:type"] ?? entry.kind ?? "").trimmedText.lowercased()
        let status = fields["blogger:status"]?.trimmedText.uppercased() ?? (entry.draft ? "DRAFT" : "LIVE")
        let published = dates.rfc3339(fields["published"]) ?? dates.rfc3339(fields["blogger:created"]) ?? dates.rfc3339(fields["updated"])
        guard status == "LIVE" else {
            return .leftBehind(kind: status == "DRAFT" ? "draft" : status == "SOFT_TRASHED" ? "trash" : status.lowercased(), count: 1)
        }
        switch kind {
        case "post", "page":
            guard !id.isEmpty else { return .leftBehind(kind: "post without an id", count: 1) }
            var link = entry.alternate
            if link == nil, let filename = fields["blogger:filename"]?.trimmedText.nonEmpty, let root = items.channel.link {
                link = root.hasSuffix("/") ? String(root.dropLast()) + filename : root + filename
            }
            return .post(
                ExportedPost(
                    sourceID: id, kind: kind == "page" ? .page : .post, title: fields["title"]?.trimmedText ?? "",
                    content: fields["content"] ?? "", publishedAt: published, tags: entry.labels, link: link
                ))
        case "comment":
            guard let post = fields["blogger:parent"]?.trimmedText.nonEmpty ?? entry.inReplyTo, !id.isEmpty else {
                return .leftBehind(kind: "comment without a post", count: 1)
            }
            let parentComment =
                fields["blogger:inReplyTo"]?.trimmedText.nonEmpty
                ?? entry.replyToComment.flatMap { Self.parentCommentID(link: $0, sibling: id) }
            return .comment(
                ExportedComment(
                    sourceID: id, parentID: parentComment, authorName: fields["author"]?.nonEmpty ?? "Anonymous",
                    authorURL: nil, content: fields["content"] ?? "", publishedAt: published
                ),
                postSourceID: post
            )
        case "":
            return .leftBehind(kind: "entry of unknown kind", count: 1)
        default:
            // template, settings, layout: the old blog's machinery, not its writing.
            return .leftBehind(kind: kind, count: 1)
        }
    }

    /// The classic form points a reply at its parent with a `related` link ending in the
    /// parent's number (`…/comments/default/123`), while ids read `tag:…blog-1.post-123`:
    /// the parent's id is this comment's id with the number replaced.
    static func parentCommentID(link: String, sibling id: String) -> String? {
        let path = link.prefix { $0 != "?" && $0 != "#" }
        guard let number = path.split(separator: "/").last, !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }),
            let marker = id.range(of: ".post-", options: .backwards)
        else { return nil }
        return String(id[..<marker.upperBound]) + String(number)
    }
}
