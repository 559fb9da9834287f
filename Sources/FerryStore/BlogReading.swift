import FerryCore
import GRDB

/// One blog as one reader may see it on SQLite: every part read in the one read transaction
/// that made the access decision (see `ReadSession`).
struct SQLiteBlogReader: BlogReader {
    let blog: Blog
    let reader: IdentityID?
    let session: ReadSession

    func owner() async throws -> Identity {
        let owner = blog.ownerID
        guard let identity = try await session.run({ db in try IdentityRecord.fetchOne(db, key: owner.rawValue)?.identity() }) else {
            throw FerryError.brokenInvariant("blog \(blog.id) has no owner")
        }
        return identity
    }

    func readerIdentity() async throws -> Identity? {
        guard let reader else { return nil }
        return try await session.run { db in try IdentityRecord.fetchOne(db, key: reader.rawValue)?.identity() }
    }

    func posts(before: PostID?, limit: Int) async throws -> [Post] {
        try await session.run { [blog] db in try AppDatabase.newestPosts(in: blog.id, before: before, limit: limit, db: db) }
    }

    func post(_ id: PostID) async throws -> Post? {
        let post = try await session.run { [blog] db in
            try PostRecord.filter(Column("id") == id.rawValue && Column("blogId") == blog.id.rawValue).fetchOne(db)?.post()
        }
        guard let post else { return nil }
        return post.kind != .draft || reader == blog.ownerID ? post : nil
    }

    func post(month: PostMonth, slug: PostSlug) async throws -> Post? {
        try await session.run { [blog] db in
            try PostRecord
                .filter(Column("blogId") == blog.id.rawValue && Column("month") == month.key && Column("slug") == slug.rawValue)
                .filter(Column("kind") == PostKind.post.rawValue)
                .fetchOne(db)?.post()
        }
    }

    func page(slug: PostSlug) async throws -> Post? {
        try await session.run { [blog] db in
            try PostRecord
                .filter(Column("blogId") == blog.id.rawValue && Column("kind") == PostKind.page.rawValue && Column("slug") == slug.rawValue)
                .fetchOne(db)?.post()
        }
    }

    func pageLinks() async throws -> [PageLink] {
        try await session.run { [blog] db in
            try Row.fetchAll(db, sql: "SELECT title, slug FROM post WHERE blogId = ? AND kind = 'page' ORDER BY title, id", arguments: [blog.id.rawValue])
                .map { PageLink(title: $0["title"], slug: PostSlug(trusted: $0["slug"])) }
        }
    }

    func comments(of post: PostID, after: CommentID?, limit: Int) async throws -> [Comment] {
        try await session.run { db in try AppDatabase.comments(of: post, after: after, limit: limit, db: db) }
    }
}

extension AppDatabase {
    public func reading<Result: Sendable>(
        _ slug: BlogSlug, by reader: IdentityID?, _ body: @Sendable (any BlogReader) async throws -> Result
    ) async throws -> Result {
        let session = ReadSession()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [writer] in
                do {
                    try await writer.read { db in session.serve(db) }
                    session.close(FerryError.brokenInvariant("a blog was read after its reading ended"))
                } catch {
                    session.close(error)
                }
            }
            defer { session.finish() }
            let blog = try await session.run { db -> Blog? in
                guard let blog = try BlogRecord.filter(Column("slug") == slug.rawValue).fetchOne(db)?.blog(), try Self.mayRead(blog, reader, db: db)
                else { return nil }
                return blog
            }
            guard let blog else { throw FerryError(.notFound, "there is no blog at '\(slug)'") }
            return try await body(SQLiteBlogReader(blog: blog, reader: reader, session: session))
        }
    }

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
