import FerryCore
import FerryRender
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Inserts a post; nil when the blog already has one with that entry id. Its slug comes
    /// from `slugSource`, numbered when its month has it (for a page: when any page has it).
    /// As on SQLite, the slug is tried as it is first and numbered only when the unique index
    /// refuses it, each try in a savepoint so a refusal leaves the transaction usable.
    func insertPost(
        in blog: BlogID, draft: PostDraft, entryID: String?, publishedAt: Date, slugSource: String, commentCount: Int = 0, kind: PostKind,
        on connection: PostgresConnection
    ) async throws -> Post? {
        let month = PostMonth(containing: publishedAt)
        let entryID = entryID ?? "urn:uuid:\(UUID().uuidString.lowercased())"
        let base = PostSlug(title: slugSource)
        var slug = base
        for number in 1...1_000 {
            if number > 1 {
                slug = kind == .page ? base.numbered(number) : try await freeSlug(base, blog: blog, month: month, on: connection)
            }
            try await connection.query("SAVEPOINT post_slug", logger: logger)
            do {
                let id = try await connection.query(
                    """
                    INSERT INTO post (blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, commentCount, kind)
                    VALUES (\(blog.rawValue), \(entryID), \(month.key), \(slug.rawValue), \(draft.title), \(draft.content),
                        \(JSONText.array(draft.tags)), \(publishedAt), \(publishedAt), \(commentCount), \(kind.rawValue))
                    ON CONFLICT (blogId, entryId) DO NOTHING RETURNING id
                    """, logger: logger
                ).decode(Int64.self).firstElement()
                try await connection.query("RELEASE SAVEPOINT post_slug", logger: logger)
                guard let id else { return nil }
                return Post(
                    id: PostID(id), blogID: blog, entryID: entryID, month: month, slug: slug, title: draft.title, content: draft.content,
                    tags: draft.tags, publishedAt: publishedAt, updatedAt: publishedAt, commentCount: commentCount, kind: kind)
            } catch let error as PSQLError where error.isUniqueViolation {
                try await connection.query("ROLLBACK TO SAVEPOINT post_slug", logger: logger)
            }
        }
        throw FerryError(.conflict, "no free address was found for '\(base)'", field: "slug")
    }

    /// `base` if the month has no post of that slug, else the first of `base-2`, `base-3`, …
    /// it lacks (read from the month's part of the (blogId, month, slug) index).
    func freeSlug(_ base: PostSlug, blog: BlogID, month: PostMonth, on connection: PostgresConnection) async throws -> PostSlug {
        let taken = try await connection.query(
            """
            SELECT slug FROM post WHERE blogId = \(blog.rawValue) AND month = \(month.key)
                AND (slug = \(base.rawValue) OR starts_with(slug, \(base.rawValue + "-")))
            """, logger: logger
        ).decode(String.self).all()
        guard taken.contains(base.rawValue) else { return base }
        let numbered = Set(taken)
        var number = 2
        while numbered.contains(base.numbered(number).rawValue) { number += 1 }
        return base.numbered(number)
    }
}
