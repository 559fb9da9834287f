import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: ActivityStore {
    public func linkBlog(_ slug: BlogSlug, by owner: IdentityID, at now: Date) async throws -> Blog {
        let blog = try await transaction { connection in
            var blog = try await editableBlog(slug, by: owner, on: connection)
            guard blog.linkedAt == nil else { return blog }
            try await connection.query("UPDATE blog SET linkedAt = \(now) WHERE id = \(blog.id.rawValue)", logger: logger)
            blog.linkedAt = now
            try await recordActivity(.link, blog: blog, post: nil, at: now, on: connection)
            try await recordChanges([blog.id], on: connection)
            return blog
        }
        await changes.announce(blog.id)
        return blog
    }

    public func unlinkBlog(_ slug: BlogSlug, by owner: IdentityID) async throws -> Blog {
        let blog = try await transaction { connection in
            var blog = try await editableBlog(slug, by: owner, on: connection)
            guard blog.linkedAt != nil else { return blog }
            try await connection.query("UPDATE blog SET linkedAt = NULL WHERE id = \(blog.id.rawValue)", logger: logger)
            blog.linkedAt = nil
            try await recordChanges([blog.id], on: connection)
            return blog
        }
        await changes.announce(blog.id)
        return blog
    }

    public func activities(by actor: IdentityID, limit: Int) async throws -> [Activity] {
        try await client.query(
            """
            SELECT \(unescaped: Self.activityColumns) FROM activity WHERE actorId = \(actor.rawValue) AND audienceId IS NULL
            ORDER BY id DESC LIMIT \(limit)
            """, logger: logger
        ).decode(ActivityColumns.self).all().compactMap(Self.activity)
    }

    /// Records that `blog` did `verb`, if it is linked; an unlinked blog shares nothing.
    /// `actor` defaults to the blog's owner; a comment's actor is its writer, for `audience`.
    func recordActivity(
        _ verb: ActivityVerb, blog: Blog, post: PostID?, comment: CommentID? = nil, actor: IdentityID? = nil, audience: IdentityID? = nil,
        summary: String? = nil, at now: Date, on connection: PostgresConnection
    ) async throws {
        guard blog.isLinked else { return }
        try await connection.query(
            """
            INSERT INTO activity (actorId, blogId, postId, commentId, audienceId, verb, summary, createdAt)
            VALUES (\((actor ?? blog.ownerID).rawValue), \(blog.id.rawValue), \(post?.rawValue), \(comment?.rawValue), \(audience?.rawValue),
                \(verb.rawValue), \(summary), \(now))
            """, logger: logger)
    }

    /// Records an `update` for a substantial edit, unless it is part of a burst (see
    /// `AppDatabase.editBurst`).
    func recordEdit(of old: Post, to new: Post, blog: Blog, at now: Date, on connection: PostgresConnection) async throws {
        guard blog.isLinked, new.kind == .post, PostEdit(from: old, to: new).isSubstantial else { return }
        let newest = try await connection.query(
            "SELECT createdAt FROM activity WHERE postId = \(new.id.rawValue) AND verb IN ('post', 'update') ORDER BY id DESC LIMIT 1",
            logger: logger
        ).decode(Date.self).firstElement()
        if let newest, now.timeIntervalSince(newest) < AppDatabase.editBurst { return }
        try await recordActivity(.update, blog: blog, post: new.id, at: now, on: connection)
    }

    typealias ActivityColumns = (Int64, Int64, Int64, Int64?, Int64?, Int64?, String, String?, Date)
    static let activityColumns = "id, actorId, blogId, postId, commentId, audienceId, verb, summary, createdAt"

    /// Nil for a verb this version does not know.
    static func activity(_ row: ActivityColumns) -> Activity? {
        guard let verb = ActivityVerb(rawValue: row.6) else { return nil }
        return Activity(
            id: ActivityID(row.0), actor: IdentityID(row.1), blog: BlogID(row.2), post: row.3.map(PostID.init), comment: row.4.map(CommentID.init),
            audience: row.5.map(IdentityID.init), verb: verb, summary: row.7, createdAt: row.8)
    }
}
