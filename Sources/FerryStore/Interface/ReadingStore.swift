import FerryCore
import Foundation

/// One blog as one reader may see it, after one access decision (`ReadingStore.reading`).
public protocol BlogReader: Sendable {
    var blog: Blog { get }
    /// The signed-in reader; nil for a visitor.
    var reader: IdentityID? { get }
    /// The blog's owner, as its pages name them.
    func owner() async throws -> Identity
    /// The reader's own identity, for pages that greet them.
    func readerIdentity() async throws -> Identity?
    /// A page of the blog's posts, newest first, older than the post `before`.
    func posts(before: PostID?, limit: Int) async throws -> [Post]
    /// The post, page or draft `id`; a draft only for the blog's owner.
    func post(_ id: PostID) async throws -> Post?
    /// The post at the permalink `/{blog}/{month}/{slug}`.
    func post(month: PostMonth, slug: PostSlug) async throws -> Post?
    /// The page at `/{blog}/pages/{slug}`.
    func page(slug: PostSlug) async throws -> Post?
    /// The titles and slugs of the blog's pages, by title, for the links on its pages.
    func pageLinks() async throws -> [PageLink]
    /// A page of a post's comments, oldest first, after the comment `after`.
    func comments(of post: PostID, after: CommentID?, limit: Int) async throws -> [Comment]
}

/// A page's title and address, for the links every page of a blog shows.
public struct PageLink: Sendable, Equatable {
    public var title: String
    public var slug: PostSlug

    public init(title: String, slug: PostSlug) {
        self.title = title
        self.slug = slug
    }
}

/// Reading blogs as a reader may: the one place the reading rule is asked.
public protocol ReadingStore: Sendable {
    /// Reads the blog at `slug` as `reader`, if they may read it; a blog they may not read is
    /// "not found", exactly like one that does not exist. Everything `body` reads through its
    /// reader comes from one state of the database (PostgreSQL: one read-only snapshot; SQLite:
    /// one read transaction). `body` reads through the reader alone: on SQLite it holds one of
    /// the pool's reader connections until it returns.
    func reading<Result: Sendable>(
        _ slug: BlogSlug, by reader: IdentityID?, _ body: @Sendable (any BlogReader) async throws -> Result
    ) async throws -> Result
    /// The blog at `slug` if `reader` may read it; nil when it does not exist or they may not.
    func readableBlog(_ slug: BlogSlug, by reader: IdentityID?) async throws -> Blog?
}

/// Comments on posts.
public protocol CommentStore: Sendable {
    /// Adds a comment to a post of `blog` (not a draft). Whether the commenter may comment at
    /// all is the caller's decision. With a `key` used before, answers the comment that
    /// request added.
    func addComment(to post: PostID, in blog: BlogID, by commenter: Commenter, content: String, at now: Date, key: RequestKey?) async throws -> Comment
    /// A page of a post's comments, oldest first, after the comment `after`.
    func comments(of post: PostID, after: CommentID?, limit: Int) async throws -> [Comment]
    /// Deletes a comment: the blog's owner may delete any, a signed-in author their own.
    @discardableResult
    func deleteComment(_ id: CommentID, of post: PostID, in slug: BlogSlug, by requester: IdentityID) async throws -> Blog
}

/// Who writes a comment, as the web layer has established it.
public enum Commenter: Sendable {
    case identity(IdentityID)
    case visitor(name: String)
}

extension AppDatabase: ReadingStore, CommentStore {}
