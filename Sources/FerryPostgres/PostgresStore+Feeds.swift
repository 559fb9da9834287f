import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: FeedStore {
    public func feedSource(
        for blog: BlogID, month: PostMonth?, skipping: Int, limit: Int, current: PostMonth?, currentLimit: Int
    ) async throws -> FeedSource? {
        try await snapshot { connection in
            guard
                let row = try await connection.query(
                    "SELECT \(unescaped: Self.blogColumns), updatedAt FROM blog WHERE id = \(blog.rawValue)", logger: logger
                ).decode((Int64, String, Int64, String, String, String, Bool, String, Date, Date?, Date).self).firstElement()
            else { return nil }
            let found = try Self.blog((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9))
            guard let owner = try await identity(found.ownerID, on: connection) else { return nil }
            let posts: [Post]
            if let month {
                posts = try await connection.query(
                    """
                    SELECT \(unescaped: Self.postColumns) FROM post WHERE blogId = \(blog.rawValue) AND month = \(month.key) AND kind = 'post'
                    ORDER BY publishedAt DESC, id DESC LIMIT \(limit + 1) OFFSET \(skipping)
                    """, logger: logger
                ).decode(PostColumns.self).all().map(Self.post)
            } else {
                var size = limit
                if let current {
                    let count =
                        try await connection.query(
                            "SELECT count(*) FROM post WHERE blogId = \(blog.rawValue) AND month = \(current.key) AND kind = 'post'", logger: logger
                        ).decode(Int.self).firstElement() ?? 0
                    size = max(limit, min(count, currentLimit))
                }
                posts = try await newestPosts(in: blog, before: nil, limit: size, kinds: [.post], on: connection)
            }
            let months = try await connection.query(
                "SELECT DISTINCT month FROM post WHERE blogId = \(blog.rawValue) AND kind = 'post' ORDER BY month", logger: logger
            ).decode(String.self).all().compactMap(PostMonth.init(key:))
            return FeedSource(
                blog: found, owner: owner, blogUpdatedAt: row.10, posts: Array(posts.prefix(month == nil ? posts.count : limit)), months: months,
                monthContinues: month != nil && posts.count > limit)
        }
    }

    public func sitemapParts() async throws -> [SitemapPart] {
        let rows = try await client.query("SELECT kind, part, changedAt FROM sitemap_part ORDER BY kind, part", logger: logger)
            .decode((String, Int64, Date).self).all()
        return rows.compactMap { row in SitemapPart.Kind(rawValue: row.0).map { SitemapPart(kind: $0, number: Int(row.1), changedAt: row.2) } }
    }

    public func sitemapEntries(of kind: SitemapPart.Kind, part number: Int) async throws -> [SitemapEntry] {
        let ids = SitemapPart(kind: kind, number: number, changedAt: Date()).ids
        switch kind {
        case .blogs:
            return try await client.query(
                """
                SELECT b.slug, greatest(b.updatedAt, b.everyPageChangedAt, b.homeListChangedAt, (
                    SELECT max(greatest(newest.updatedAt, newest.commentsChangedAt)) FROM (
                        SELECT p.updatedAt, p.commentsChangedAt FROM post p WHERE p.blogId = b.id AND p.kind = 'post'
                        ORDER BY p.publishedAt DESC, p.id DESC LIMIT \(SitemapEntry.postsOnAHome)
                    ) newest))
                FROM blog b
                WHERE b.id >= \(ids.lowerBound) AND b.id < \(ids.upperBound) AND b.visibility = 'public' AND b.slug NOT LIKE '~%'
                ORDER BY b.id
                """, logger: logger
            ).decode((String, Date).self).all().map { SitemapEntry(blog: BlogSlug(trusted: $0.0), path: nil, lastModified: $0.1) }
        case .posts:
            return try await client.query(
                """
                SELECT b.slug, p.month, p.slug, p.kind, greatest(p.updatedAt, p.commentsChangedAt, b.updatedAt, b.everyPageChangedAt)
                FROM post p JOIN blog b ON b.id = p.blogId
                WHERE p.id >= \(ids.lowerBound) AND p.id < \(ids.upperBound) AND p.kind <> 'draft' AND b.visibility = 'public'
                    AND b.slug NOT LIKE '~%'
                ORDER BY p.id
                """, logger: logger
            ).decode((String, String, String, String, Date).self).all().compactMap {
                SitemapEntry(blog: BlogSlug(trusted: $0.0), kind: $0.3, month: $0.1, slug: PostSlug(trusted: $0.2), lastModified: $0.4)
            }
        }
    }
}
