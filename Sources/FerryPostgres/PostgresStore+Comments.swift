import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: CommentStore {
    public func addComment(
        to post: PostID, in blog: BlogID, by commenter: Commenter, content: String, at now: Date, key: RequestKey?
    ) async throws -> Comment {
        let comment = try await transaction { connection in
            if let key, let earlier = try await claim(key, at: now, on: connection) {
                guard let comment = try await comments(where: "c.id = \(earlier) AND c.postId = \(post.rawValue)", limit: 1, on: connection).first else {
                    throw RequestKey.createdThenDeleted()
                }
                return comment
            }
            let found = try await connection.query(
                """
                SELECT \(unescaped: Self.blogColumns) FROM blog
                WHERE id = \(blog.rawValue) AND EXISTS (SELECT 1 FROM post WHERE id = \(post.rawValue) AND blogId = blog.id AND kind <> 'draft')
                """, logger: logger
            ).decode(BlogColumns.self).firstElement().map(Self.blog)
            guard let found else { throw FerryError(.notFound, "there is no post \(post) in this blog") }
            var author: Int64?
            var name: String?
            switch commenter {
            case .identity(let id): author = id.rawValue
            case .visitor(let visitor): name = visitor
            }
            let id = try await connection.query(
                """
                INSERT INTO comment (postId, authorId, authorName, content, createdAt)
                VALUES (\(post.rawValue), \(author), \(name), \(content), \(now)) RETURNING id
                """, logger: logger
            ).decode(Int64.self).firstElement()
            if let key, let id { try await settle(key, resource: id, on: connection) }
            guard let id, let comment = try await comments(where: "c.id = \(id)", limit: 1, on: connection).first else {
                throw FerryError.brokenInvariant("a comment cannot be read back after it was saved")
            }
            // The blog's owner hears of comments by other identities.
            if case .identity(let writer) = commenter, writer != found.ownerID {
                try await recordActivity(
                    .comment, blog: found, post: post, comment: comment.id, actor: writer, audience: found.ownerID, at: now, on: connection)
            }
            try await recordChanges([blog], on: connection)
            return comment
        }
        await changes.announce(blog)
        return comment
    }

    public func comments(of post: PostID, after: CommentID?, limit: Int) async throws -> [Comment] {
        try await client.withConnection { connection in try await comments(of: post, after: after, limit: limit, on: connection) }
    }

    /// Oldest first, after `after` (none if that is not one of the post's): one range of
    /// `comment_post_time`.
    func comments(of post: PostID, after: CommentID?, limit: Int, on connection: PostgresConnection) async throws -> [Comment] {
        guard let after else { return try await comments(where: "c.postId = \(post.rawValue)", limit: limit, on: connection) }
        return try await comments(
            where: """
                c.postId = \(post.rawValue) AND (c.createdAt, c.id) > (SELECT createdAt, id FROM comment WHERE id = \(after.rawValue) AND postId = \(post.rawValue))
                """, limit: limit, on: connection)
    }

    @discardableResult
    public func deleteComment(_ id: CommentID, of post: PostID, in slug: BlogSlug, by requester: IdentityID) async throws -> Blog {
        let notFound = FerryError(.notFound, "there is no comment \(id) on post \(post) in '\(slug)'")
        let blog = try await transaction { connection in
            guard
                let blog = try await connection.query("SELECT \(unescaped: Self.blogColumns) FROM blog WHERE slug = \(slug.rawValue)", logger: logger)
                    .decode(BlogColumns.self).firstElement().map(Self.blog),
                let author = try await connection.query(
                    """
                    SELECT authorId FROM comment
                    WHERE id = \(id.rawValue) AND postId = (SELECT id FROM post WHERE id = \(post.rawValue) AND blogId = \(blog.id.rawValue))
                    FOR UPDATE
                    """, logger: logger
                ).decode(Int64?.self).firstElement()
            else { throw notFound }
            guard blog.ownerID == requester || author == requester.rawValue else {
                if blog.visibility == .private { throw notFound }
                throw FerryError(.forbidden, "only the blog's owner or the comment's author may delete it")
            }
            try await connection.query("DELETE FROM comment WHERE id = \(id.rawValue)", logger: logger)
            try await recordChanges([blog.id], on: connection)
            return blog
        }
        await changes.announce(blog.id)
        return blog
    }

    /// Comments meeting `condition` (SQL written here from ids only), oldest first.
    private func comments(where condition: String, limit: Int, on connection: PostgresConnection) async throws -> [Comment] {
        try await connection.query(
            """
            SELECT c.id, c.postId, c.authorId, c.authorName, c.content, c.createdAt, c.parentId, c.authorURL, i.handle, i.displayName
            FROM comment c LEFT JOIN identity i ON i.id = c.authorId
            WHERE \(unescaped: condition)
            ORDER BY c.createdAt, c.id LIMIT \(limit)
            """, logger: logger
        ).decode((Int64, Int64, Int64?, String?, String, Date, Int64?, String?, String?, String?).self).all().map { row in
            let author: CommentAuthor =
                if let authorId = row.2 {
                    .identity(IdentityID(authorId), handle: Handle(trusted: row.8 ?? ""), displayName: row.9 ?? "")
                } else {
                    .anonymous(name: row.3 ?? "")
                }
            return Comment(
                id: CommentID(row.0), postID: PostID(row.1), author: author, content: row.4, createdAt: row.5, parentID: row.6.map(CommentID.init),
                authorURL: row.7)
        }
    }
}
