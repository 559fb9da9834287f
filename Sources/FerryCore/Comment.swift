import Foundation

/// The database id of a comment.
public struct CommentID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// Who wrote a comment: a signed-in identity, or a visitor who gave a name (only where the
/// blog's owner allows anonymous comments).
public enum CommentAuthor: Sendable, Equatable {
    case identity(IdentityID, handle: Handle, displayName: String)
    case anonymous(name: String)

    public static let nameLimit = 80

    public var displayName: String {
        switch self {
        case .identity(_, _, let displayName): displayName
        case .anonymous(let name): name
        }
    }
}

/// A comment as stored; `content` is sanitized HTML.
public struct Comment: Sendable, Equatable {
    public var id: CommentID
    public var postID: PostID
    public var author: CommentAuthor
    public var content: String
    public var createdAt: Date
    /// The comment this one answers, when threaded.
    public var parentID: CommentID?
    /// The commenter's website, for comments imported from an old blog.
    public var authorURL: String?

    public init(
        id: CommentID, postID: PostID, author: CommentAuthor, content: String, createdAt: Date,
        parentID: CommentID? = nil, authorURL: String? = nil
    ) {
        self.id = id
        self.postID = postID
        self.author = author
        self.content = content
        self.createdAt = createdAt
        self.parentID = parentID
        self.authorURL = authorURL
    }

    public static func validName(_ input: String) throws(FerryError) -> String {
        try TextRules.requiredLine(input, field: "name", limit: CommentAuthor.nameLimit)
    }

    /// An imported commenter's name, cleaned instead of refused; "Anonymous" when empty.
    public static func importedName(_ input: String) -> String {
        TextRules.lenientLine(input, limit: CommentAuthor.nameLimit) ?? "Anonymous"
    }
}
