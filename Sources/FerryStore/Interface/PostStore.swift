import FerryCore
import Foundation

/// Posts, pages and drafts of blogs, and the activities their owners share.
public protocol PostStore: Sendable {
    /// Publishes a post (or, with `publish` false, keeps a draft) in the blog at `slug`, which
    /// `author` must own. The permalink's month comes from `publishedAt`, its slug from
    /// `slugSource` (an editor's) or the title, numbered when the month has it already. With a
    /// `key` used before, answers the post that request created.
    func createPost(
        in slug: BlogSlug, by author: IdentityID, draft: PostDraft, entryID: String?, publishedAt: Date, slugSource: String?, publish: Bool,
        key: RequestKey?
    ) async throws -> Post
    /// Replaces a post's title, content and tags; publishes a draft (`publish`); a published
    /// post cannot become a draft again.
    func updatePost(
        _ id: PostID, in slug: BlogSlug, by editor: IdentityID, draft: PostDraft, at now: Date, publish: Bool?, publishedAt: Date?,
        slugSource: String?
    ) async throws -> Post
    /// Deletes a post and its comments; answers the blog it was on.
    @discardableResult
    func deletePost(_ id: PostID, in slug: BlogSlug, by editor: IdentityID) async throws -> Blog
    /// The address of the blog post `id` is on.
    func blogSlug(ofPost id: PostID) async throws -> BlogSlug?
    /// A blog's pages, by title.
    func pages(in blog: BlogID) async throws -> [Post]
    /// A page of a blog's posts (of `kinds`), newest first, older than the post `before`.
    func posts(in blog: BlogID, before: PostID?, limit: Int, kinds: Set<PostKind>) async throws -> [Post]
    /// Every tag the blog's posts and drafts use, most used first (then by name).
    func tags(of blog: BlogID, limit: Int) async throws -> [String]
    /// How many published posts (and pages) and comments a blog holds.
    func counts(of blog: BlogID) async throws -> (posts: Int, comments: Int)
}

/// Linking a blog to its owner's messenger identity, and what the owner shared.
public protocol ActivityStore: Sendable {
    /// Links the blog at `slug` to its owner's identity, recording a `link` activity the first time.
    func linkBlog(_ slug: BlogSlug, by owner: IdentityID, at now: Date) async throws -> Blog
    /// Unlinks it: it stops sharing new activities, and its earlier ones reach nobody meanwhile.
    func unlinkBlog(_ slug: BlogSlug, by owner: IdentityID) async throws -> Blog
    /// What an identity shared with its contacts (not comments meant for one person), newest first.
    func activities(by actor: IdentityID, limit: Int) async throws -> [Activity]
}

extension AppDatabase: PostStore, ActivityStore {}

/// What feeds and the sitemap are made of.
public protocol FeedStore: Sendable {
    /// The newest `limit` posts of `blog` and at least every post of `current` up to
    /// `currentLimit`, or with `month`, `limit` posts of that month after its newest `skipping`;
    /// read from one state of the database.
    func feedSource(for blog: BlogID, month: PostMonth?, skipping: Int, limit: Int, current: PostMonth?, currentLimit: Int) async throws
        -> FeedSource?
    /// Every part of the sitemap that has had anything in it, with when it last changed.
    func sitemapParts() async throws -> [SitemapPart]
    /// The URLs of one part of the sitemap: the homes of public blogs, or their posts and
    /// pages, whose ids fall in the part; hidden and private blogs never appear.
    func sitemapEntries(of kind: SitemapPart.Kind, part number: Int) async throws -> [SitemapEntry]
}

/// One part of the sitemap: the blogs, or the posts, of `size` consecutive ids, so at most
/// `size` URLs (sitemaps.org's limit for one file). The database notes each part's last change.
public struct SitemapPart: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case blogs, posts
    }

    public static let size = 50_000

    public var kind: Kind
    public var number: Int
    public var changedAt: Date

    public init(kind: Kind, number: Int, changedAt: Date) {
        self.kind = kind
        self.number = number
        self.changedAt = changedAt
    }

    /// The ids the part holds.
    public var ids: Range<Int64> { Int64(number * Self.size)..<Int64((number + 1) * Self.size) }
}

extension FeedStore {
    /// The subscription document's source: at least every post of `current` (up to 1,000).
    public func feedSource(for blog: BlogID, limit: Int, current: PostMonth? = nil) async throws -> FeedSource? {
        try await feedSource(for: blog, month: nil, skipping: 0, limit: limit, current: current, currentLimit: 1_000)
    }

    /// A part of `month`'s archive.
    public func feedSource(for blog: BlogID, month: PostMonth, skipping: Int, limit: Int) async throws -> FeedSource? {
        try await feedSource(for: blog, month: month, skipping: skipping, limit: limit, current: nil, currentLimit: 1_000)
    }
}

extension AppDatabase: FeedStore {}
