import FerryCore
import Foundation

/// Blogs: their addresses, settings and owners. Every write that changes what a blog shows is
/// announced through `changes`, here and (see `ChangeFollowing`) on every other node.
public protocol BlogStore: Sendable {
    var changes: BlogChanges { get }
    /// Creates a blog owned by `owner`; a slug that is taken, or reserved by a blog moving
    /// here, is a conflict.
    func createBlog(
        slug: BlogSlug, owner: IdentityID, title: String, language: LanguageTag, visibility: BlogVisibility, at now: Date
    ) async throws -> Blog
    func blog(slug: BlogSlug) async throws -> Blog?
    /// Who owns the blog `id` (owners never change); nil when there is no such blog.
    func owner(ofBlog id: BlogID) async throws -> IdentityID?
    /// The slugs of every private blog.
    func privateBlogSlugs() async throws -> [BlogSlug]
    /// Every blog `owner` owns, in slug order (not those still being imported in stages).
    func blogs(ownedBy owner: IdentityID) async throws -> [Blog]
    /// Applies `update` to the blog at `slug` on behalf of `editor`, who must own it.
    func updateBlog(_ slug: BlogSlug, by editor: IdentityID, with update: BlogUpdate, at now: Date) async throws -> Blog
    /// The blog at `slug` if `owner` owns it. Someone else's private blog is "not found" (its
    /// existence is not revealed); someone else's visible blog is "forbidden".
    func ownedBlog(_ slug: BlogSlug, by owner: IdentityID) async throws -> Blog
}

/// How a node learns what the others changed, so that what it rendered from a blog (its feed)
/// is rendered again at once.
public protocol ChangeFollowing: Sendable {
    var changes: BlogChanges { get }
    /// Announces through `changes` every blog another process changes, from now until the
    /// task is cancelled, and forgets old records on the way. Failures go to `failed`, and
    /// following goes on. (SQLite: a look at `blog_change` every `interval`; PostgreSQL:
    /// `LISTEN`, told at each commit.)
    func followOthersChanges(every interval: Duration, failed: @escaping @Sendable (any Error) -> Void) async
}

extension AppDatabase: BlogStore {}
