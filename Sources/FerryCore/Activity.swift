import Foundation

/// What a linked blog did, as its owner's contacts see it in their streams.
public enum ActivityVerb: String, Sendable, Codable, CaseIterable {
    /// A post was published.
    case post
    /// A post was substantially edited (a burst of edits counts once).
    case update
    /// Someone else commented on a post (seen by the blog's owner).
    case comment
    /// A migration finished: one activity for everything that moved.
    case migrate
    /// The blog was linked to its owner's identity.
    case link
}

public struct ActivityID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
    public static func < (lhs: ActivityID, rhs: ActivityID) -> Bool { lhs.rawValue < rhs.rawValue }
}

public struct Activity: Sendable, Equatable {
    public var id: ActivityID
    public var actor: IdentityID
    public var blog: BlogID
    public var post: PostID?
    public var verb: ActivityVerb
    /// For `comment`: the comment the actor wrote.
    public var comment: CommentID?
    /// Nil: the actor's accepted contacts. Set: that one identity (a comment's blog owner).
    public var audience: IdentityID?
    /// For `migrate`: what moved, in words.
    public var summary: String?
    public var createdAt: Date

    public init(
        id: ActivityID, actor: IdentityID, blog: BlogID, post: PostID?, comment: CommentID? = nil, audience: IdentityID? = nil,
        verb: ActivityVerb, summary: String?, createdAt: Date
    ) {
        self.id = id
        self.actor = actor
        self.blog = blog
        self.post = post
        self.comment = comment
        self.audience = audience
        self.verb = verb
        self.summary = summary
        self.createdAt = createdAt
    }
}
