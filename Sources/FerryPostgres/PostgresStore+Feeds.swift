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

    public func sitemapEntries(limit: Int) async throws -> [SitemapEntry] {
        try await snapshot { connection in
            let blogs = try await connection.query(
                """
                SELECT b.slug, greatest(b.updatedAt, coalesce(max(p.updatedAt), b.updatedAt))
                FROM blog b LEFT JOIN post p ON p.blogId = b.id AND p.kind <> 'draft'
                WHERE b.visibility = 'public'
                GROUP BY b.id ORDER BY b.slug LIMIT \(limit)
                """, logger: logger
            ).decode((String, Date).self).all()
            let posts = try await connection.query(
                """
                SELECT b.slug, p.month, p.slug, p.kind, p.updatedAt
                FROM post p JOIN blog b ON b.id = p.blogId
                WHERE b.visibility = 'public' AND p.kind <> 'draft'
                ORDER BY b.slug, p.publishedAt DESC LIMIT \(max(0, limit - blogs.count))
                """, logger: logger
            ).decode((String, String, String, String, Date).self).all()
            return blogs.map { SitemapEntry(blog: BlogSlug(trusted: $0.0), path: nil, lastModified: $0.1) }
                + posts.compactMap {
                    SitemapEntry(blog: BlogSlug(trusted: $0.0), kind: $0.3, month: $0.1, slug: PostSlug(trusted: $0.2), lastModified: $0.4)
                }
        }
    }
}
