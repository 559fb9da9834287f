import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Adds a comment to a post of `blog`. Whether the commenter may comment at all (reading
    /// rights, anonymous comments allowed) is the caller's decision. With a `key` used before,
    /// answers the comment that request added.
    public func addComment(
        to post: PostID, in blog: BlogID, by commenter: Commenter, content: String, at now: Date = Date(), key: RequestKey? = nil
    ) async throws -> Comment {
        let comment = try await writer.write { db in
            if let key, let earlier = try Self.claim(key, at: now, db: db) {
                guard let comment = try Self.comments(where: "c.id = ? AND c.postId = ?", [earlier, post.rawValue, 1], db: db).first else {
                    throw RequestKey.createdThenDeleted()
                }
                return comment
            }
            guard
                try PostRecord.filter(Column("id") == post.rawValue && Column("blogId") == blog.rawValue && Column("kind") != PostKind.draft.rawValue)
                    .fetchCount(db) == 1,
                let blog = try BlogRecord.fetchOne(db, key: blog.rawValue)?.blog()
            else {
                throw FerryError(.notFound, "there is no post \(post) in this blog")
            }
            var record = CommentRecord(id: nil, postId: post.rawValue, authorId: nil, authorName: nil, content: content, createdAt: now)
            switch commenter {
            case .identity(let id): record.authorId = id.rawValue
            case .visitor(let name): record.authorName = name
            }
            try record.insert(db)
            if let key, let id = record.id { try Self.settle(key, resource: id, db: db) }
            guard let comment = try Self.comments(where: "c.id = ?", [record.id, 1], db: db).first else {
                throw FerryError.brokenInvariant("comment \(record.id ?? 0) cannot be read back after it was saved")
            }
            // The blog's owner hears of comments by other identities (a visitor has no identity
            // to show as the actor).
            if case .identity(let writer) = commenter, writer != blog.ownerID {
                try Self.recordActivity(.comment, blog: blog, post: post, comment: comment.id, actor: writer, audience: blog.ownerID, at: now, db: db)
            }
            try changes.record([blog.id], in: db)
            return comment
        }
        await changes.announce(blog)
        return comment
    }

    /// A page of a post's comments in the order they were written, oldest first: at most
    /// `limit`, after the comment `after` when given (none if that is not one of the post's).
    /// One range of an index, however many comments the post has.
    public func comments(of post: PostID, after: CommentID? = nil, limit: Int) async throws -> [Comment] {
        try await writer.read { db in try Self.comments(of: post, after: after, limit: limit, db: db) }
    }

    static func comments(of post: PostID, after: CommentID?, limit: Int, db: Database) throws -> [Comment] {
        try comments(where: commentPage(after: after != nil), [post.rawValue, after?.rawValue, limit], db: db)
    }

    /// The condition of a page of a post's comments (`?1` the post, `?2` the comment it starts
    /// after), which `comment_post_time` answers in order.
    static func commentPage(after: Bool) -> String {
        after
            ? "c.postId = ?1 AND (c.createdAt, c.id) > (SELECT createdAt, id FROM comment WHERE id = ?2 AND postId = ?1)"
            : "c.postId = ?1 AND ?2 IS NULL"
    }

    /// Deletes a comment. The blog's owner may delete any comment on it; a signed-in author
    /// may delete their own. Anyone else is told it does not exist or is forbidden, like writes
    /// to the blog itself. Answers the blog the comment was on.
    @discardableResult
    public func deleteComment(_ id: CommentID, of post: PostID, in slug: BlogSlug, by requester: IdentityID) async throws -> Blog {
        let changed = try await writer.write { db in
            guard let blog = try BlogRecord.filter(Column("slug") == slug.rawValue).fetchOne(db),
                let comment =
                    try CommentRecord
                    .filter(sql: "id = ? AND postId = (SELECT id FROM post WHERE id = ? AND blogId = ?)", arguments: [id.rawValue, post.rawValue, blog.id])
                    .fetchOne(db)
            else {
                throw FerryError(.notFound, "there is no comment \(id) on post \(post) in '\(slug)'")
            }
            guard blog.ownerId == requester.rawValue || comment.authorId == requester.rawValue else {
                if blog.visibility == .private {
                    throw FerryError(.notFound, "there is no comment \(id) on post \(post) in '\(slug)'")
                }
                throw FerryError(.forbidden, "only the blog's owner or the comment's author may delete it")
            }
            try comment.delete(db)
            let changed = try blog.blog()
            try changes.record([changed.id], in: db)
            return changed
        }
        await changes.announce(changed.id)
        return changed
    }

    /// Comments meeting `condition`, oldest first, at most as many as the last argument.
    static func commentsSQL(where condition: String) -> String {
        """
        SELECT c.id, c.postId, c.authorId, c.authorName, c.content, c.createdAt, c.parentId, c.authorURL, i.handle, i.displayName
        FROM comment c LEFT JOIN identity i ON i.id = c.authorId
        WHERE \(condition)
        ORDER BY c.createdAt, c.id
        LIMIT ?
        """
    }

    private static func comments(where condition: String, _ arguments: StatementArguments, db: Database) throws -> [Comment] {
        let rows = try Row.fetchAll(db, sql: commentsSQL(where: condition), arguments: arguments)
        return rows.map { row in
            let author: CommentAuthor =
                if let authorId: Int64 = row["authorId"] {
                    .identity(IdentityID(authorId), handle: Handle(trusted: row["handle"] ?? ""), displayName: row["displayName"] ?? "")
                } else {
                    .anonymous(name: row["authorName"] ?? "")
                }
            return Comment(
                id: CommentID(row["id"]), postID: PostID(row["postId"]), author: author, content: row["content"], createdAt: row["createdAt"],
                parentID: (row["parentId"] as Int64?).map(CommentID.init), authorURL: row["authorURL"]
            )
        }
    }
}
