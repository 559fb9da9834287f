import FerryCore
import Foundation

/// What a blog export says about the blog itself.
public struct ExportChannel: Sendable, Equatable {
    public var title: String?
    /// The old blog's address, the root that redirects to the new blog.
    public var link: String?
    public var language: String?
    /// Feed addresses the export names for the old blog (`atom:link rel="self"`).
    public var feeds: [String]

    public init(title: String? = nil, link: String? = nil, language: String? = nil, feeds: [String] = []) {
        self.title = title
        self.link = link
        self.language = language
        self.feeds = feeds
    }
}

/// How an export's text is meant to be shown.
public enum TextFormat: Sendable, Equatable {
    /// HTML as it is.
    case html
    /// WordPress's stored text: shortcodes, links alone on a line, and blank lines for
    /// paragraphs, which WordPress turns into HTML only when it shows the text.
    case wordpress
}

/// A post (or page) of the old blog, as the export describes it, before anything is decided.
public struct ExportedPost: Sendable, Equatable {
    public enum Kind: String, Sendable { case post, page }

    /// The export's identity of the post: its Atom `id`, or its `guid`. Kept as the new feed
    /// entry's id, and used to recognise the post when the same export is imported again.
    public var sourceID: String
    public var kind: Kind
    public var title: String
    /// HTML as exported, not yet sanitized.
    public var content: String
    public var format: TextFormat
    public var publishedAt: Date?
    public var tags: [String]
    /// The old permalink.
    public var link: String?
    /// WordPress's numeric id, for the `?p=ID` form of old links.
    public var numericID: String?
    /// The old slug, a hint for the new one.
    public var slugHint: String?
    /// Photos and videos named outside the HTML (enclosures).
    public var enclosures: [String]
    /// Approved comments only; the others are counted in `ExportItem.leftBehind`.
    public var comments: [ExportedComment]

    public init(
        sourceID: String, kind: Kind = .post, title: String, content: String, format: TextFormat = .html, publishedAt: Date?,
        tags: [String] = [], link: String? = nil, numericID: String? = nil, slugHint: String? = nil, enclosures: [String] = [],
        comments: [ExportedComment] = []
    ) {
        self.format = format
        self.sourceID = sourceID
        self.kind = kind
        self.title = title
        self.content = content
        self.publishedAt = publishedAt
        self.tags = tags
        self.link = link
        self.numericID = numericID
        self.slugHint = slugHint
        self.enclosures = enclosures
        self.comments = comments
    }
}

/// An approved comment of an exported post; `parentID` threads replies.
public struct ExportedComment: Sendable, Equatable {
    public var sourceID: String
    public var parentID: String?
    public var authorName: String
    public var authorURL: String?
    public var content: String
    public var format: TextFormat
    public var publishedAt: Date?

    public init(
        sourceID: String, parentID: String?, authorName: String, authorURL: String?, content: String, format: TextFormat = .html,
        publishedAt: Date?
    ) {
        self.format = format
        self.sourceID = sourceID
        self.parentID = parentID
        self.authorName = authorName
        self.authorURL = authorURL
        self.content = content
        self.publishedAt = publishedAt
    }
}

/// A media file the export lists on its own (a WordPress attachment).
public struct ExportedAttachment: Sendable, Equatable {
    public var sourceID: String
    public var url: String
    /// WordPress's numeric id of the attachment, which `[gallery ids=…]` names.
    public var numericID: String?
    /// The numeric id of the post it belongs to, if any.
    public var parentNumericID: String?

    public init(sourceID: String, url: String, numericID: String? = nil, parentNumericID: String?) {
        self.numericID = numericID
        self.sourceID = sourceID
        self.url = url
        self.parentNumericID = parentNumericID
    }
}

/// One thing read from an export, in document order. Readers stream these, so memory does
/// not grow with the size of the export.
public enum ExportItem: Sendable, Equatable {
    case channel(ExportChannel)
    case post(ExportedPost)
    case attachment(ExportedAttachment)
    /// A comment listed apart from its post (Blogger exports), by the post's `sourceID`.
    case comment(ExportedComment, postSourceID: String)
    /// Something that does not move (a draft, a menu item, an unapproved comment…), by kind.
    case leftBehind(kind: String, count: Int)
}

/// A streaming reader of one export format.
public protocol ExportReader {
    /// The next item, or nil at the end of the export.
    mutating func next() throws(FerryError) -> ExportItem?
    /// How far into the file the reader is, in bytes.
    var bytesRead: Int { get }
}
