import Foundation

/// An Atom 1.0 feed document (RFC 4287), with the RFC 5005 archive links and RFC 4685 comment
/// counts, written as UTF-8 bytes. The output depends only on the values given, so the same
/// posts always give the same bytes (and the same ETag).
public struct AtomDocument: Sendable {
    public var id: String
    public var title: String
    public var updated: Date
    /// BCP 47 tag for `xml:lang`.
    public var language: String
    /// The site's absolute base URL, for `xml:base`: relative links in content resolve against it.
    public var base: String
    public var author: AtomPerson
    public var links: [AtomLink]
    /// Marks an RFC 5005 archive document (`fh:archive`).
    public var isArchive: Bool
    public var entries: [AtomEntry]

    public init(
        id: String, title: String, updated: Date, language: String, base: String, author: AtomPerson,
        links: [AtomLink], isArchive: Bool = false, entries: [AtomEntry]
    ) {
        self.id = id
        self.title = title
        self.updated = updated
        self.language = language
        self.base = base
        self.author = author
        self.links = links
        self.isArchive = isArchive
        self.entries = entries
    }

    public static let contentType = "application/atom+xml; charset=utf-8"

    public func render() -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0" \
            xmlns:fh="http://purl.org/syndication/history/1.0" xml:lang="\(attr(language))" xml:base="\(attr(base))">

            """
        xml += "<id>\(text(id))</id>\n"
        xml += "<title type=\"text\">\(text(title))</title>\n"
        xml += "<updated>\(Self.timestamp(updated))</updated>\n"
        xml += author.element("author")
        for link in links { xml += link.element }
        if isArchive { xml += "<fh:archive/>\n" }
        xml += "<generator>ferry</generator>\n"
        for entry in entries { xml += entry.element }
        xml += "</feed>\n"
        return xml
    }

    /// RFC 3339 in UTC with whole seconds, as readers expect.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

public struct AtomPerson: Sendable {
    public var name: String
    public var uri: String?

    public init(name: String, uri: String? = nil) {
        self.name = name
        self.uri = uri
    }

    func element(_ tag: String) -> String {
        var xml = "<\(tag)><name>\(text(name))</name>"
        if let uri { xml += "<uri>\(text(uri))</uri>" }
        return xml + "</\(tag)>\n"
    }
}

public struct AtomLink: Sendable {
    public var rel: String
    public var href: String
    public var type: String?

    public init(rel: String, href: String, type: String? = nil) {
        self.rel = rel
        self.href = href
        self.type = type
    }

    var element: String {
        var xml = "<link rel=\"\(attr(rel))\" href=\"\(attr(href))\""
        if let type { xml += " type=\"\(attr(type))\"" }
        return xml + "/>\n"
    }
}

public struct AtomEntry: Sendable {
    /// Never changes for the life of the post, wherever it moves (RFC 4287 §4.2.6).
    public var id: String
    public var title: String
    public var published: Date
    public var updated: Date
    public var url: String
    /// Sanitized HTML, escaped once more as the text of `content type="html"`.
    public var contentHTML: String
    public var categories: [String]
    /// Written as `thr:total` when there are comments.
    public var commentCount: Int
    /// The entry's own author, where entries of one feed have different ones (a stream).
    public var author: AtomPerson?
    /// What an AtomPub client edits it by; nil in what readers are served.
    public var publishing: AtomPublishing?

    public init(
        id: String, title: String, published: Date, updated: Date, url: String, contentHTML: String,
        categories: [String], commentCount: Int, author: AtomPerson? = nil
    ) {
        self.id = id
        self.title = title
        self.published = published
        self.updated = updated
        self.url = url
        self.contentHTML = contentHTML
        self.categories = categories
        self.commentCount = commentCount
        self.author = author
    }

    var element: String {
        var xml = "<entry>\n<id>\(text(id))</id>\n"
        xml += "<title type=\"text\">\(text(title))</title>\n"
        xml += "<published>\(AtomDocument.timestamp(published))</published>\n"
        xml += "<updated>\(AtomDocument.timestamp(updated))</updated>\n"
        if let author { xml += author.element("author") }
        if let publishing { xml += publishing.elements }
        if publishing?.media == nil { xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(attr(url))\"/>\n" }
        for category in categories { xml += "<category term=\"\(attr(category))\"/>\n" }
        if commentCount > 0 {
            xml += "<link rel=\"replies\" type=\"text/html\" href=\"\(attr(url))#comments\" thr:count=\"\(commentCount)\"/>\n"
            xml += "<thr:total>\(commentCount)</thr:total>\n"
        }
        if let media = publishing?.media {
            xml += "<summary type=\"text\"></summary>\n<content type=\"\(attr(media.type))\" src=\"\(attr(media.url))\"/>\n"
        } else {
            xml += "<content type=\"html\">\(text(contentHTML))</content>\n"
        }
        return xml + "</entry>\n"
    }

    public static let documentContentType = "application/atom+xml;type=entry;charset=\"utf-8\""

    /// The entry as a document of its own (RFC 5023's member representation).
    public func document(base: String) -> String {
        let opening = "<entry xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"\(attr(base))\">"
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + opening + element.dropFirst("<entry>".count)
    }
}

/// An entry's AtomPub side (RFC 5023): where a client edits it, when it last did, whether it
/// is a draft; for a media link entry, the medium it describes.
public struct AtomPublishing: Sendable {
    public var editURL: String
    public var edited: Date
    public var isDraft: Bool
    public var media: AtomMediaSource?

    public init(editURL: String, edited: Date, isDraft: Bool = false, media: AtomMediaSource? = nil) {
        self.editURL = editURL
        self.edited = edited
        self.isDraft = isDraft
        self.media = media
    }

    /// The `app:` elements carry their namespace themselves, so the entry reads the same
    /// inside a feed and on its own.
    var elements: String {
        var xml = "<link rel=\"edit\" href=\"\(attr(editURL))\"/>\n"
        xml += "<edited xmlns=\"http://www.w3.org/2007/app\">\(AtomDocument.timestamp(edited))</edited>\n"
        if isDraft { xml += "<control xmlns=\"http://www.w3.org/2007/app\"><draft>yes</draft></control>\n" }
        if let media { xml += "<link rel=\"edit-media\" type=\"\(attr(media.type))\" href=\"\(attr(media.url))\"/>\n" }
        return xml
    }
}

/// The photo or video a media link entry stands for.
public struct AtomMediaSource: Sendable {
    public var type: String
    public var url: String

    public init(type: String, url: String) {
        self.type = type
        self.url = url
    }
}

private func text(_ value: String) -> String { MarkupEscaping.text(value) }
private func attr(_ value: String) -> String { MarkupEscaping.attribute(value) }
