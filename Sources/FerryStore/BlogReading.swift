import FerryCore
import GRDB

/// One blog as one reader may see it, inside one read transaction: what a page or an API
/// answer shows is read from one state of the database, after one access decision.
public struct BlogReading {
    public let blog: Blog
    /// The signed-in reader; nil for a visitor.
    public let reader: IdentityID?
    let db: Database

    /// The blog's owner, as its pages name them.
    public func owner() throws -> Identity {
        guard let owner = try IdentityRecord.fetchOne(db, key: blog.ownerID.rawValue)?.identity() else {
            throw FerryError.brokenInvariant("blog \(blog.id) has no owner")
        }
        return owner
    }

    /// The reader's own identity, for pages that greet them.
    public func readerIdentity() throws -> Identity? {
        try reader.flatMap { try IdentityRecord.fetchOne(db, key: $0.rawValue)?.identity() }
    }

    /// A page of the blog's posts, newest first, older than the post `before`.
    public func posts(before: PostID?, limit: Int) throws -> [Post] {
        try AppDatabase.newestPosts(in: blog.id, before: before, limit: limit, db: db)
    }

    /// The post, page or draft `id`; a draft only for the blog's owner.
    public func post(_ id: PostID) throws -> Post? {
        guard let post = try PostRecord.filter(Column("id") == id.rawValue && Column("blogId") == blog.id.rawValue).fetchOne(db)?.post()
        else { return nil }
        return post.kind != .draft || reader == blog.ownerID ? post : nil
    }

    /// The post at the permalink `/{blog}/{month}/{slug}`.
    public func post(month: PostMonth, slug: PostSlug) throws -> Post? {
        try PostRecord
            .filter(Column("blogId") == blog.id.rawValue && Column("month") == month.key && Column("slug") == slug.rawValue)
            .filter(Column("kind") == PostKind.post.rawValue)
            .fetchOne(db)?.post()
    }

    /// The page at `/{blog}/pages/{slug}`.
    public func page(slug: PostSlug) throws -> Post? {
        try PostRecord
            .filter(Column("blogId") == blog.id.rawValue && Column("kind") == PostKind.page.rawValue && Column("slug") == slug.rawValue)
            .fetchOne(db)?.post()
    }

    /// The titles and slugs of the blog's pages, by title, for the links on its pages.
    public func pageLinks() throws -> [(title: String, slug: PostSlug)] {
        try Row.fetchAll(db, sql: "SELECT title, slug FROM post WHERE blogId = ? AND kind = 'page' ORDER BY title, id", arguments: [blog.id.rawValue])
            .map { (title: $0["title"], slug: PostSlug(trusted: $0["slug"])) }
    }

    /// A page of a post's comments, oldest first, after the comment `after`.
    public func comments(of post: PostID, after: CommentID?, limit: Int) throws -> [Comment] {
        try AppDatabase.comments(of: post, after: after, limit: limit, db: db)
    }
}

extension AppDatabase {
    /// Reads the blog at `slug` as `reader`, if they may read it, in one transaction; a blog
    /// they may not read is "not found", exactly like one that does not exist. The one place
    /// the reading rule is asked.
    public func reading<Result: Sendable>(
        _ slug: BlogSlug, by reader: IdentityID?, _ body: @Sendable (BlogReading) throws -> Result
    ) async throws -> Result {
        try await writer.read { db in
            guard let blog = try BlogRecord.filter(Column("slug") == slug.rawValue).fetchOne(db)?.blog(),
                try Self.mayRead(blog, reader, db: db)
            else { throw FerryError(.notFound, "there is no blog at '\(slug)'") }
            return try body(BlogReading(blog: blog, reader: reader, db: db))
        }
    }

    /// The blog at `slug` if `reader` may read it; nil when it does not exist or they may not.
    public func readableBlog(_ slug: BlogSlug, by reader: IdentityID?) async throws -> Blog? {
        do {
            return try await reading(slug, by: reader) { $0.blog }
        } catch let error as FerryError where error.code == .notFound {
            return nil
        }
    }

    /// Anyone may read public and hidden blogs; the owner and the owner's accepted contacts
    /// may read private ones.
    static func mayRead(_ blog: Blog, _ reader: IdentityID?, db: Database) throws -> Bool {
        guard blog.visibility == .private else { return true }
        guard let reader else { return false }
        if reader == blog.ownerID { return true }
        return try ContactRecord
            .filter(Column("identityId") == blog.ownerID.rawValue && Column("contactId") == reader.rawValue)
            .filter(Column("state") == ContactState.accepted)
            .fetchCount(db) > 0
    }
}
