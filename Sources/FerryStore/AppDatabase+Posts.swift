import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Publishes a post in the blog at `slug`, which `author` must own. The permalink's month
    /// comes from `publishedAt` and its slug from the title, numbered when the month already
    /// has that slug.
    /// `slugSource` names the permalink when the writer chose one (an editor's `wp_slug`);
    /// otherwise the title does.
    public func createPost(
        in slug: BlogSlug, by author: IdentityID, draft: PostDraft, entryID: String? = nil, publishedAt: Date = Date(), slugSource: String? = nil
    ) async throws -> Post {
        let post = try await writer.write { db in
            let blog = try Self.blogRecord(slug, editableBy: author, in: db).blog()
            let source = slugSource.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? draft.title
            guard let post = try PostInserter(db: db).insert(in: blog.id, draft: draft, entryID: entryID, publishedAt: publishedAt, slugSource: source)
            else {
                throw FerryError(.conflict, "the blog already has a post with the entry id '\(entryID ?? "")'", field: "entryID")
            }
            try Self.recordActivity(.post, blog: blog, post: post.id, at: Date(), db: db)
            return post
        }
        await changes.announce(post.blogID)
        return post
    }

    /// Replaces a post's title, content and tags; its permalink and entry id stay. A
    /// substantial edit in a linked blog is an `update` activity (once per burst of edits).
    public func updatePost(_ id: PostID, in slug: BlogSlug, by editor: IdentityID, draft: PostDraft, at now: Date = Date()) async throws -> Post {
        let post = try await writer.write { db in
            let blogRecord = try Self.blogRecord(slug, editableBy: editor, in: db)
            var record = try Self.postRecord(id, in: blogRecord, db: db)
            let old = try record.post()
            record.title = draft.title
            record.content = draft.content
            record.tags = draft.tags
            record.updatedAt = max(now, record.publishedAt)
            try record.update(db)
            let post = try record.post()
            try Self.recordEdit(of: old, to: post, blog: blogRecord.blog(), at: now, db: db)
            return post
        }
        await changes.announce(post.blogID)
        return post
    }

    /// Deletes a post and its comments; answers the blog it was on.
    @discardableResult
    public func deletePost(_ id: PostID, in slug: BlogSlug, by editor: IdentityID) async throws -> Blog {
        let blog = try await writer.write { db in
            let blog = try Self.blogRecord(slug, editableBy: editor, in: db)
            try Self.postRecord(id, in: blog, db: db).delete(db)
            return try blog.blog()
        }
        await changes.announce(blog.id)
        return blog
    }

    /// The address of the blog post `id` is on, for clients that name a post by its id alone
    /// (XML-RPC's `editPost`); whether the caller may touch it is the write's own check.
    public func blogSlug(ofPost id: PostID) async throws -> BlogSlug? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT blog.slug FROM post JOIN blog ON blog.id = post.blogId WHERE post.id = ?", arguments: [id.rawValue])
                .map(BlogSlug.init(trusted:))
        }
    }

    /// A blog's pages, by title.
    public func pages(in blog: BlogID) async throws -> [Post] {
        try await writer.read { db in
            try PostRecord.filter(Column("blogId") == blog.rawValue && Column("kind") == PostKind.page.rawValue)
                .order(Column("title"), Column("id")).fetchAll(db).map { try $0.post() }
        }
    }

    /// A page of a blog's posts, newest first, older than the post `before` (keyset paging:
    /// the cost of a page does not grow with how far back it is).
    public func posts(in blog: BlogID, before: PostID? = nil, limit: Int) async throws -> [Post] {
        try await writer.read { db in
            try Self.newestPosts(in: blog, before: before, limit: limit, db: db)
        }
    }

    static func newestPosts(in blog: BlogID, before: PostID?, limit: Int, db: Database) throws -> [Post] {
        var request = PostRecord.filter(Column("blogId") == blog.rawValue && Column("kind") == PostKind.post.rawValue)
        if let before {
            guard let cursor = try PostRecord.filter(Column("id") == before.rawValue && Column("blogId") == blog.rawValue).fetchOne(db) else {
                throw FerryError.invalid("before", "is not a post of this blog")
            }
            request = request.filter(
                Column("publishedAt") < cursor.publishedAt
                    || (Column("publishedAt") == cursor.publishedAt && Column("id") < before.rawValue)
            )
        }
        return
            try request
            .order(Column("publishedAt").desc, Column("id").desc)
            .limit(limit)
            .fetchAll(db)
            .map { try $0.post() }
    }

    static func postRecord(_ id: PostID, in blog: BlogRecord, db: Database) throws -> PostRecord {
        guard let record = try PostRecord.filter(Column("id") == id.rawValue && Column("blogId") == blog.id).fetchOne(db) else {
            throw FerryError(.notFound, "there is no post \(id) in '\(blog.slug)'")
        }
        return record
    }
}

extension AppDatabase {
    /// How many posts and comments a blog holds.
    public func counts(of blog: BlogID) async throws -> (posts: Int, comments: Int) {
        try await writer.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT count(*) AS posts, coalesce(sum(commentCount), 0) AS comments FROM post WHERE blogId = ?", arguments: [blog.rawValue])
            return (row?["posts"] ?? 0, row?["comments"] ?? 0)
        }
    }
}
