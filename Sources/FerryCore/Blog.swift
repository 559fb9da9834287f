import Foundation

/// The database id of a blog.
public struct BlogID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// Who may read a blog.
public enum BlogVisibility: String, Sendable, Codable, CaseIterable {
    /// Anyone, and search engines may index it.
    case `public`
    /// Only the owner and the owner's accepted contacts; strangers are not told it exists.
    case `private`
    /// Anyone, but search engines are asked not to index it.
    case hidden
}

/// A blog as stored: its address, who owns it and how it presents itself.
public struct Blog: Sendable, Equatable {
    public var id: BlogID
    public var slug: BlogSlug
    public var ownerID: IdentityID
    public var title: String
    public var language: LanguageTag
    public var visibility: BlogVisibility
    /// Whether visitors who are not signed in may comment (with a name); public blogs only.
    public var allowsAnonymousComments: Bool
    /// The Atom feed id: fixed at creation, like the slug.
    public var feedID: String
    public var createdAt: Date
    /// When the owner linked the blog to their messenger identity; nil while it is not linked.
    /// Only a linked blog shares its life with the owner's contacts.
    public var linkedAt: Date?

    public init(
        id: BlogID, slug: BlogSlug, ownerID: IdentityID, title: String, language: LanguageTag, visibility: BlogVisibility,
        allowsAnonymousComments: Bool = false, feedID: String, createdAt: Date, linkedAt: Date? = nil
    ) {
        self.id = id
        self.slug = slug
        self.ownerID = ownerID
        self.title = title
        self.language = language
        self.visibility = visibility
        self.allowsAnonymousComments = allowsAnonymousComments
        self.feedID = feedID
        self.createdAt = createdAt
        self.linkedAt = linkedAt
    }

    public var isLinked: Bool { linkedAt != nil }

    /// Whether a visitor who is not signed in may comment right now.
    public var acceptsAnonymousComments: Bool {
        allowsAnonymousComments && visibility == .public
    }

    public static let titleLimit = 200

    /// A title with surrounding white space removed, checked for length and control characters.
    public static func validTitle(_ input: String, field: String = "title") throws(FerryError) -> String {
        try TextRules.requiredLine(input, field: field, limit: titleLimit)
    }
}

/// A partial change of a blog, as sent by `PATCH /api/blogs/{slug}`; the slug never changes.
public struct BlogUpdate: Sendable, Equatable {
    public var title: String?
    public var language: LanguageTag?
    public var visibility: BlogVisibility?
    public var allowsAnonymousComments: Bool?

    public init(
        title: String? = nil, language: LanguageTag? = nil, visibility: BlogVisibility? = nil, allowsAnonymousComments: Bool? = nil
    ) {
        self.title = title
        self.language = language
        self.visibility = visibility
        self.allowsAnonymousComments = allowsAnonymousComments
    }
}

extension Blog {
    /// This blog with `update` applied; the title is validated.
    public func applying(_ update: BlogUpdate) throws(FerryError) -> Blog {
        var result = self
        if let title = update.title { result.title = try Self.validTitle(title) }
        if let language = update.language { result.language = language }
        if let visibility = update.visibility { result.visibility = visibility }
        if let allows = update.allowsAnonymousComments { result.allowsAnonymousComments = allows }
        return result
    }
}
