import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Who writes a comment, as the web layer has established it.
    public enum Commenter: Sendable {
        case identity(IdentityID)
        case visitor(name: String)
    }

    /// Adds a comment to a post of `blog`. Whether the commenter may comment at all (reading
    /// rights, anonymous comments allowed) is the caller's decision.
    public func addComment(to post: PostID, in blog: BlogID, by commenter: Commenter, content: String, at now: Date = Date()) async throws -> Comment {
        try await writer.write { db in
            guard try PostRecord.filter(Column("id") == post.rawValue && Column("blogId") == blog.rawValue).fetchCount(db) == 1,
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
            guard let comment = try Self.comments(where: "c.id = ?", [record.id], db: db).first else {
                throw FerryError(.notFound, "the comment was not saved")
            }
            // The blog's owner hears of comments by other identities (a visitor has no identity
            // to show as the actor).
            if case .identity(let writer) = commenter, writer != blog.ownerID {
                try Self.recordActivity(.comment, blog: blog, post: post, comment: comment.id, actor: writer, audience: blog.ownerID, at: now, db: db)
            }
            return comment
        }
    }

    /// A post's comments, oldest first.
    public func comments(of post: PostID) async throws -> [Comment] {
        try await writer.read { db in
            try Self.comments(where: "c.postId = ?", [post.rawValue], db: db)
        }
    }

    /// Deletes a comment. The blog's owner may delete any comment on it; a signed-in author
    /// may delete their own. Anyone else is told it does not exist or is forbidden, like writes
    /// to the blog itself.
    public func deleteComment(_ id: CommentID, of post: PostID, in slug: BlogSlug, by requester: IdentityID) async throws {
        try await writer.write { db in
            guard let blog = try BlogRecord.filter(Column("slug") == slug.rawValue).fetchOne(db),
                  let comment = try CommentRecord
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
        }
    }

    private static func comments(where condition: String, _ arguments: StatementArguments, db: Database) throws -> [Comment] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.id, c.postId, c.authorId, c.authorName, c.content, c.createdAt, c.parentId, c.authorURL, i.handle, i.displayName
            FROM comment c LEFT JOIN identity i ON i.id = c.authorId
            WHERE \(condition)
            ORDER BY c.id
            """, arguments: arguments)
        return rows.map { row in
            let author: CommentAuthor = if let authorId: Int64 = row["authorId"] {
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
