import FerryCore
import FerryRender
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: PostStore {
    public func createPost(
        in slug: BlogSlug, by author: IdentityID, draft: PostDraft, entryID: String?, publishedAt: Date, slugSource: String?, publish: Bool,
        key: RequestKey?
    ) async throws -> Post {
        let post = try await transaction { connection in
            let blog = try await editableBlog(slug, by: author, on: connection, locking: false)
            if let key, let earlier = try await claim(key, at: Date(), on: connection) {
                guard let post = try? await self.post(PostID(earlier), in: blog, on: connection) else { throw RequestKey.createdThenDeleted() }
                return post
            }
            guard
                let post = try await insertPost(
                    in: blog.id, draft: draft, entryID: entryID, publishedAt: publishedAt,
                    slugSource: DraftAddress.editorsSlug(slugSource) ?? draft.title, kind: publish ? .post : .draft, on: connection)
            else {
                throw FerryError(.conflict, "the blog already has a post with the entry id '\(entryID ?? "")'", field: "entryID")
            }
            if let key { try await settle(key, resource: post.id.rawValue, on: connection) }
            if publish {
                try await recordActivity(.post, blog: blog, post: post.id, at: Date(), on: connection)
                try await recordChanges([blog.id], on: connection)
            }
            return post
        }
        if publish { await changes.announce(post.blogID) }
        return post
    }

    public func updatePost(
        _ id: PostID, in slug: BlogSlug, by editor: IdentityID, draft: PostDraft, at now: Date, publish: Bool?, publishedAt: Date?,
        slugSource: String?
    ) async throws -> Post {
        let updated = try await transaction { connection in
            let blog = try await editableBlog(slug, by: editor, on: connection, locking: false)
            let old = try await self.post(id, in: blog, on: connection, locking: true)
            guard old.kind == .draft || publish != false else {
                throw FerryError(.conflict, "a published post cannot become a draft again; delete it instead", field: "draft")
            }
            var post = old
            post.title = draft.title
            post.content = draft.content
            post.tags = draft.tags
            post.updatedAt = max(now, old.publishedAt)
            if old.kind == .draft {
                let publishing = publish == true ? publishedAt ?? now : nil
                if let publishing {
                    post.kind = .post
                    post.publishedAt = publishing
                    post.updatedAt = publishing
                }
                if let address = DraftAddress.after(saving: old, newTitle: draft.title, slugSource: slugSource, publishedAt: publishing) {
                    post.month = address.month
                    post.slug = try await freeSlug(address.base, blog: blog.id, month: address.month, on: connection)
                }
            }
            try await connection.query(
                """
                UPDATE post SET title = \(post.title), content = \(post.content), tags = \(JSONText.array(post.tags)),
                    updatedAt = \(post.updatedAt), publishedAt = \(post.publishedAt), kind = \(post.kind.rawValue),
                    month = \(post.month.key), slug = \(post.slug.rawValue)
                WHERE id = \(id.rawValue)
                """, logger: logger)
            if old.kind == .draft, post.kind == .post {
                try await recordActivity(.post, blog: blog, post: post.id, at: now, on: connection)
            } else {
                try await recordEdit(of: old, to: post, blog: blog, at: now, on: connection)
            }
            if post.kind != .draft { try await recordChanges([post.blogID], on: connection) }
            return post
        }
        if updated.kind != .draft { await changes.announce(updated.blogID) }
        return updated
    }

    @discardableResult
    public func deletePost(_ id: PostID, in slug: BlogSlug, by editor: IdentityID) async throws -> Blog {
        let blog = try await transaction { connection in
            let blog = try await editableBlog(slug, by: editor, on: connection, locking: false)
            _ = try await post(id, in: blog, on: connection, locking: true)
            try await connection.query("DELETE FROM post WHERE id = \(id.rawValue)", logger: logger)
            try await recordChanges([blog.id], on: connection)
            return blog
        }
        await changes.announce(blog.id)
        return blog
    }

    public func blogSlug(ofPost id: PostID) async throws -> BlogSlug? {
        try await client.query("SELECT blog.slug FROM post JOIN blog ON blog.id = post.blogId WHERE post.id = \(id.rawValue)", logger: logger)
            .decode(String.self).firstElement().map(BlogSlug.init(trusted:))
    }

    public func pages(in blog: BlogID) async throws -> [Post] {
        try await client.query(
            "SELECT \(unescaped: Self.postColumns) FROM post WHERE blogId = \(blog.rawValue) AND kind = 'page' ORDER BY title, id", logger: logger
        ).decode(PostColumns.self).all().map(Self.post)
    }

    public func posts(in blog: BlogID, before: PostID?, limit: Int, kinds: Set<PostKind>) async throws -> [Post] {
        try await client.withConnection { connection in
            try await newestPosts(in: blog, before: before, limit: limit, kinds: kinds, on: connection)
        }
    }

    /// Keyset paging on (publishedAt, id), the `post_newest` index's order.
    func newestPosts(in blog: BlogID, before: PostID?, limit: Int, kinds: Set<PostKind>, on connection: PostgresConnection) async throws -> [Post] {
        let kinds = kinds.map(\.rawValue)
        guard let before else {
            return try await connection.query(
                """
                SELECT \(unescaped: Self.postColumns) FROM post WHERE blogId = \(blog.rawValue) AND kind = ANY(\(kinds))
                ORDER BY publishedAt DESC, id DESC LIMIT \(limit)
                """, logger: logger
            ).decode(PostColumns.self).all().map(Self.post)
        }
        guard
            let cursor = try await connection.query(
                "SELECT publishedAt FROM post WHERE id = \(before.rawValue) AND blogId = \(blog.rawValue)", logger: logger
            ).decode(Date.self).firstElement()
        else { throw FerryError.invalid("before", "is not a post of this blog") }
        return try await connection.query(
            """
            SELECT \(unescaped: Self.postColumns) FROM post WHERE blogId = \(blog.rawValue) AND kind = ANY(\(kinds))
                AND (publishedAt, id) < (\(cursor), \(before.rawValue))
            ORDER BY publishedAt DESC, id DESC LIMIT \(limit)
            """, logger: logger
        ).decode(PostColumns.self).all().map(Self.post)
    }

    public func tags(of blog: BlogID, limit: Int) async throws -> [String] {
        try await client.query(
            """
            SELECT tag FROM post, json_array_elements_text(post.tags::json) AS tag
            WHERE post.blogId = \(blog.rawValue) AND post.kind <> 'page'
            GROUP BY tag ORDER BY count(*) DESC, tag LIMIT \(limit)
            """, logger: logger
        ).decode(String.self).all()
    }

    public func counts(of blog: BlogID) async throws -> (posts: Int, comments: Int) {
        let row = try await client.query(
            "SELECT count(*), coalesce(sum(commentCount), 0)::bigint FROM post WHERE blogId = \(blog.rawValue) AND kind <> 'draft'", logger: logger
        ).decode((Int, Int).self).firstElement()
        return (row?.0 ?? 0, row?.1 ?? 0)
    }

    /// The post `id` of `blog`, or "not found".
    func post(_ id: PostID, in blog: Blog, on connection: PostgresConnection, locking: Bool = false) async throws -> Post {
        guard
            let post = try await connection.query(
                """
                SELECT \(unescaped: Self.postColumns) FROM post WHERE id = \(id.rawValue) AND blogId = \(blog.id.rawValue)
                \(unescaped: locking ? "FOR UPDATE" : "")
                """, logger: logger
            ).decode(PostColumns.self).firstElement().map(Self.post)
        else { throw FerryError(.notFound, "there is no post \(id) in '\(blog.slug)'") }
        return post
    }

    typealias PostColumns = (Int64, Int64, String, String, String, String, String, String, Date, Date, Int, String)
    static let postColumns = "id, blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, commentCount, kind"

    static func post(_ row: PostColumns) throws -> Post {
        guard let month = PostMonth(key: row.3), let kind = PostKind(rawValue: row.11),
            let tags = try? JSONDecoder().decode([String].self, from: Data(row.7.utf8))
        else { throw FerryError.brokenInvariant("post \(row.0) has a malformed month, kind or tag list") }
        return Post(
            id: PostID(row.0), blogID: BlogID(row.1), entryID: row.2, month: month, slug: PostSlug(trusted: row.4), title: row.5,
            content: row.6, tags: tags, publishedAt: row.8, updatedAt: row.9, commentCount: row.10, kind: kind)
    }
}
