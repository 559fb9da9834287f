import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Publishes a post in the blog at `slug`, which `author` must own. The permalink's month
    /// comes from `publishedAt` and its slug from the title, numbered when the month already
    /// has that slug.
    /// `slugSource` names the permalink when the writer chose one (an editor's `wp_slug`);
    /// otherwise the title does. With `publish` false the post is a draft: nobody but the
    /// owner sees it, and nothing is announced until it is published (`updatePost`). With a
    /// `key` used before, answers the post that request created.
    public func createPost(
        in slug: BlogSlug, by author: IdentityID, draft: PostDraft, entryID: String? = nil, publishedAt: Date = Date(), slugSource: String? = nil,
        publish: Bool = true, key: RequestKey? = nil
    ) async throws -> Post {
        let post = try await writer.write { db in
            let blogRecord = try Self.blogRecord(slug, editableBy: author, in: db)
            if let key, let earlier = try Self.claim(key, at: Date(), db: db) {
                guard let record = try? Self.postRecord(PostID(earlier), in: blogRecord, db: db) else { throw RequestKey.createdThenDeleted() }
                return try record.post()
            }
            let blog = try blogRecord.blog()
            guard
                let post = try PostInserter(db: db).insert(
                    in: blog.id, draft: draft, entryID: entryID, publishedAt: publishedAt, slugSource: DraftAddress.editorsSlug(slugSource) ?? draft.title,
                    kind: publish ? .post : .draft)
            else {
                throw FerryError(.conflict, "the blog already has a post with the entry id '\(entryID ?? "")'", field: "entryID")
            }
            if let key { try Self.settle(key, resource: post.id.rawValue, db: db) }
            if publish {
                try Self.recordActivity(.post, blog: blog, post: post.id, at: Date(), db: db)
                try changes.record([blog.id], in: db)
            }
            return post
        }
        if publish { await changes.announce(post.blogID) }
        return post
    }

    /// Replaces a post's title, content and tags; its permalink and entry id stay. A
    /// substantial edit in a linked blog is an `update` activity (once per burst of edits).
    ///
    /// A draft has no address yet: it follows its title, or the slug an editor names
    /// (`slugSource`), until `publish` makes it a post dated `publishedAt` (default `now`),
    /// announced like a new one. A published post cannot become a draft again (its address
    /// and its readers' copies exist): `publish` false on one is refused.
    public func updatePost(
        _ id: PostID, in slug: BlogSlug, by editor: IdentityID, draft: PostDraft, at now: Date = Date(), publish: Bool? = nil,
        publishedAt: Date? = nil, slugSource: String? = nil
    ) async throws -> Post {
        let post = try await writer.write { db in
            let blogRecord = try Self.blogRecord(slug, editableBy: editor, in: db)
            var record = try Self.postRecord(id, in: blogRecord, db: db)
            let old = try record.post()
            guard old.kind == .draft || publish != false else {
                throw FerryError(.conflict, "a published post cannot become a draft again; delete it instead", field: "draft")
            }
            record.title = draft.title
            record.content = draft.content
            record.tags = draft.tags
            record.updatedAt = max(now, record.publishedAt)
            if old.kind == .draft {
                try Self.readdress(
                    &record, from: old, slugSource: DraftAddress.editorsSlug(slugSource), publishedAt: publish == true ? publishedAt ?? now : nil, db: db)
            }
            try record.update(db)
            let post = try record.post()
            if old.kind == .draft, post.kind == .post {
                try Self.recordActivity(.post, blog: blogRecord.blog(), post: post.id, at: now, db: db)
            } else {
                try Self.recordEdit(of: old, to: post, blog: blogRecord.blog(), at: now, db: db)
            }
            if post.kind != .draft { try changes.record([post.blogID], in: db) }
            return post
        }
        if post.kind != .draft { await changes.announce(post.blogID) }
        return post
    }

    /// Gives a draft the address `DraftAddress` says, in the month of `publishedAt` when it is
    /// being published (then it becomes a post of that date).
    private static func readdress(_ record: inout PostRecord, from old: Post, slugSource: String?, publishedAt: Date?, db: Database) throws {
        let address = DraftAddress.after(saving: old, newTitle: record.title, slugSource: slugSource, publishedAt: publishedAt)
        if let publishedAt {
            record.kind = .post
            record.publishedAt = publishedAt
            record.updatedAt = publishedAt
        }
        guard let address else { return }
        record.month = address.month.key
        record.slug = try PostInserter(db: db).freeSlug(address.base, blog: old.blogID, month: address.month).rawValue
    }

    /// Deletes a post and its comments; answers the blog it was on.
    @discardableResult
    public func deletePost(_ id: PostID, in slug: BlogSlug, by editor: IdentityID) async throws -> Blog {
        let blog = try await writer.write { db in
            let blog = try Self.blogRecord(slug, editableBy: editor, in: db)
            try Self.postRecord(id, in: blog, db: db).delete(db)
            let changed = try blog.blog()
            try changes.record([changed.id], in: db)
            return changed
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
    /// the cost of a page does not grow with how far back it is). `kinds` adds the owner's
    /// drafts, by the date they were written, for the owner's own lists.
    public func posts(in blog: BlogID, before: PostID? = nil, limit: Int, kinds: Set<PostKind> = [.post]) async throws -> [Post] {
        try await writer.read { db in
            try Self.newestPosts(in: blog, before: before, limit: limit, kinds: kinds, db: db)
        }
    }

    static func newestPosts(in blog: BlogID, before: PostID?, limit: Int, kinds: Set<PostKind> = [.post], db: Database) throws -> [Post] {
        var request = PostRecord.filter(Column("blogId") == blog.rawValue && kinds.map(\.rawValue).contains(Column("kind")))
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
    /// Every tag the blog's posts and drafts use, most used first (then by name): what editors
    /// offer as the blog's categories. Reads each post's tags once, for the owner's editor only.
    public func tags(of blog: BlogID, limit: Int) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT tag.value FROM post, json_each(post.tags) AS tag
                    WHERE post.blogId = ? AND post.kind <> 'page'
                    GROUP BY tag.value ORDER BY count(*) DESC, tag.value LIMIT ?
                    """, arguments: [blog.rawValue, limit])
        }
    }

    /// How many published posts (and pages) and comments a blog holds.
    public func counts(of blog: BlogID) async throws -> (posts: Int, comments: Int) {
        try await writer.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT count(*) AS posts, coalesce(sum(commentCount), 0) AS comments FROM post WHERE blogId = ? AND kind <> 'draft'",
                arguments: [blog.rawValue])
            return (row?["posts"] ?? 0, row?["comments"] ?? 0)
        }
    }
}
