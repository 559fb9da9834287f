import FerryCore
import Foundation
import GRDB

/// Everything one feed document is made of, read in one transaction so it is consistent.
public struct FeedSource: Sendable {

    public var blog: Blog
    public var owner: Identity
    /// When the blog's own settings (title, language) last changed.
    public var blogUpdatedAt: Date
    /// The document's entries, newest first.
    public var posts: [Post]
    /// Every month that has posts, oldest first: the RFC 5005 archive documents.
    public var months: [PostMonth]
    /// For a part of a month's archive: whether older posts of the month follow in the next.
    public var monthContinues = false

    public init(blog: Blog, owner: Identity, blogUpdatedAt: Date, posts: [Post], months: [PostMonth], monthContinues: Bool) {
        self.blog = blog
        self.owner = owner
        self.blogUpdatedAt = blogUpdatedAt
        self.posts = posts
        self.months = months
        self.monthContinues = monthContinues
    }
}

/// One URL of the sitemap.
public struct SitemapEntry: Sendable, Equatable {
    /// How many posts a blog's home shows, whose dates are the home's.
    public static let postsOnAHome = 10

    public var blog: BlogSlug
    /// The post's or page's path; nil for the blog's home.
    public var path: String?
    public var lastModified: Date

    public init(blog: BlogSlug, path: String?, lastModified: Date) {
        self.blog = blog
        self.path = path
        self.lastModified = lastModified
    }

    /// The entry of a post or page, by its blog, kind, month and slug; nil for a malformed month.
    public init?(blog: BlogSlug, kind: String, month: String, slug: PostSlug, lastModified: Date) {
        let path: String? =
            if kind == PostKind.page.rawValue {
                Permalink.pagePath(blog: blog, slug: slug)
            } else {
                PostMonth(key: month).map { Permalink.path(blog: blog, month: $0, slug: slug) }
            }
        guard let path else { return nil }
        self.init(blog: blog, path: path, lastModified: lastModified)
    }
}

extension AppDatabase {
    /// The newest `limit` posts of `blog` and at least every post of `current` up to
    /// `currentLimit` (the subscription document, which holds the month still growing), or
    /// with `month`, `limit` posts of that month after its newest `skipping` (a part of its
    /// archive: a month of any size is served a bounded part at a time).
    public func feedSource(
        for blog: BlogID, month: PostMonth? = nil, skipping: Int = 0, limit: Int, current: PostMonth? = nil, currentLimit: Int = 1_000
    ) async throws -> FeedSource? {
        try await writer.read { db in
            guard let record = try BlogRecord.fetchOne(db, key: blog.rawValue),
                let owner = try IdentityRecord.fetchOne(db, key: record.ownerId)
            else { return nil }
            var monthContinues = false
            let posts =
                if let month {
                    try PostRecord
                        .filter(Column("blogId") == blog.rawValue && Column("month") == month.key && Column("kind") == PostKind.post.rawValue)
                        .order(Column("publishedAt").desc, Column("id").desc)
                        .limit(limit + 1, offset: skipping)
                        .fetchAll(db).map { try $0.post() }
                } else {
                    try Self.newestPosts(
                        in: blog, before: nil, limit: Self.subscriptionSize(blog, limit: limit, current: current, currentLimit: currentLimit, db: db), db: db)
                }
            let months =
                try String
                .fetchAll(db, sql: "SELECT DISTINCT month FROM post WHERE blogId = ? AND kind = 'post' ORDER BY month", arguments: [blog.rawValue])
                .compactMap(PostMonth.init(key:))
            if month != nil, posts.count > limit { monthContinues = true }
            return FeedSource(
                blog: try record.blog(), owner: try owner.identity(), blogUpdatedAt: record.updatedAt,
                posts: Array(posts.prefix(month == nil ? posts.count : limit)), months: months, monthContinues: monthContinues
            )
        }
    }

    /// `limit`, or more when `current` has more posts (at most `currentLimit`): counted through
    /// the (blogId, month, slug) index.
    private static func subscriptionSize(_ blog: BlogID, limit: Int, current: PostMonth?, currentLimit: Int, db: Database) throws -> Int {
        guard let current else { return limit }
        let count =
            try Int.fetchOne(db, sql: "SELECT count(*) FROM post WHERE blogId = ? AND month = ? AND kind = 'post'", arguments: [blog.rawValue, current.key])
            ?? 0
        return max(limit, min(count, currentLimit))
    }

    public func sitemapParts() async throws -> [SitemapPart] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, part, changedAt FROM sitemap_part ORDER BY kind, part").compactMap { row in
                SitemapPart.Kind(rawValue: row["kind"]).map { SitemapPart(kind: $0, number: row["part"], changedAt: row["changedAt"]) }
            }
        }
    }

    /// A page's date is the last change of anything it shows (migration `034-page-dates`): a
    /// blog home's is its settings', its list's, or that of the newest posts it shows (with their
    /// comment counts); a post's is its edit's, its comments', or its blog's settings' or page
    /// links' or owner's, which every page of the blog shows.
    public func sitemapEntries(of kind: SitemapPart.Kind, part number: Int) async throws -> [SitemapEntry] {
        let ids = SitemapPart(kind: kind, number: number, changedAt: Date()).ids
        return try await writer.read { db in
            switch kind {
            case .blogs:
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT b.slug, max(
                            b.updatedAt, coalesce(b.everyPageChangedAt, b.updatedAt), coalesce(b.homeListChangedAt, b.updatedAt),
                            coalesce((
                                SELECT max(max(newest.updatedAt, coalesce(newest.commentsChangedAt, newest.updatedAt))) FROM (
                                    SELECT p.updatedAt, p.commentsChangedAt FROM post p WHERE p.blogId = b.id AND p.kind = 'post'
                                    ORDER BY p.publishedAt DESC, p.id DESC LIMIT \(SitemapEntry.postsOnAHome)
                                ) newest), b.updatedAt)) AS lastModified
                        FROM blog b
                        WHERE b.id >= ? AND b.id < ? AND b.visibility = 'public' AND b.slug NOT LIKE '~%'
                        ORDER BY b.id
                        """, arguments: [ids.lowerBound, ids.upperBound]
                ).map { row in SitemapEntry(blog: BlogSlug(trusted: row["slug"]), path: nil, lastModified: row["lastModified"]) }
            case .posts:
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT b.slug, p.month, p.slug AS postSlug, p.kind,
                            max(
                                p.updatedAt, coalesce(p.commentsChangedAt, p.updatedAt), b.updatedAt, coalesce(b.everyPageChangedAt, b.updatedAt)
                            ) AS lastModified
                        FROM post p JOIN blog b ON b.id = p.blogId
                        WHERE p.id >= ? AND p.id < ? AND p.kind <> 'draft' AND b.visibility = 'public' AND b.slug NOT LIKE '~%'
                        ORDER BY p.id
                        """, arguments: [ids.lowerBound, ids.upperBound]
                ).compactMap { row in
                    SitemapEntry(
                        blog: BlogSlug(trusted: row["slug"]), kind: row["kind"], month: row["month"], slug: PostSlug(trusted: row["postSlug"]),
                        lastModified: row["lastModified"])
                }
            }
        }
    }
}
