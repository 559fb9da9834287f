import FerryCore
import FerryStore
import Foundation
import PostgresNIO

/// One blog as one reader may see it on PostgreSQL: every part read on one connection, in
/// one read-only repeatable-read transaction, so from one snapshot.
struct PostgresBlogReader: BlogReader {
    let blog: Blog
    let reader: IdentityID?
    let store: PostgresStore
    let connection: PostgresConnection

    func owner() async throws -> Identity {
        guard let owner = try await store.identity(blog.ownerID, on: connection) else {
            throw FerryError.brokenInvariant("blog \(blog.id) has no owner")
        }
        return owner
    }

    func readerIdentity() async throws -> Identity? {
        guard let reader else { return nil }
        return try await store.identity(reader, on: connection)
    }

    func posts(before: PostID?, limit: Int) async throws -> [Post] {
        try await store.newestPosts(in: blog.id, before: before, limit: limit, kinds: [.post], on: connection)
    }

    func post(_ id: PostID) async throws -> Post? {
        let post = try await connection.query(
            "SELECT \(unescaped: PostgresStore.postColumns) FROM post WHERE id = \(id.rawValue) AND blogId = \(blog.id.rawValue)",
            logger: store.logger
        ).decode(PostgresStore.PostColumns.self).firstElement().map(PostgresStore.post)
        guard let post else { return nil }
        return post.kind != .draft || reader == blog.ownerID ? post : nil
    }

    func post(month: PostMonth, slug: PostSlug) async throws -> Post? {
        try await connection.query(
            """
            SELECT \(unescaped: PostgresStore.postColumns) FROM post
            WHERE blogId = \(blog.id.rawValue) AND month = \(month.key) AND slug = \(slug.rawValue) AND kind = 'post'
            """, logger: store.logger
        ).decode(PostgresStore.PostColumns.self).firstElement().map(PostgresStore.post)
    }

    func page(slug: PostSlug) async throws -> Post? {
        try await connection.query(
            """
            SELECT \(unescaped: PostgresStore.postColumns) FROM post WHERE blogId = \(blog.id.rawValue) AND kind = 'page' AND slug = \(slug.rawValue)
            """, logger: store.logger
        ).decode(PostgresStore.PostColumns.self).firstElement().map(PostgresStore.post)
    }

    func pageLinks() async throws -> [PageLink] {
        try await connection.query(
            "SELECT title, slug FROM post WHERE blogId = \(blog.id.rawValue) AND kind = 'page' ORDER BY title, id",
            logger: store.logger
        ).decode((String, String).self).all().map { PageLink(title: $0.0, slug: PostSlug(trusted: $0.1)) }
    }

    func comments(of post: PostID, after: CommentID?, limit: Int) async throws -> [Comment] {
        try await store.comments(of: post, after: after, limit: limit, on: connection)
    }
}

extension PostgresStore: ReadingStore {
    public func reading<Result: Sendable>(
        _ slug: BlogSlug, by reader: IdentityID?, _ body: @Sendable (any BlogReader) async throws -> Result
    ) async throws -> Result {
        try await snapshot { connection in
            let blog = try await connection.query(
                "SELECT \(unescaped: Self.blogColumns) FROM blog WHERE slug = \(slug.rawValue)", logger: logger
            ).decode(BlogColumns.self).firstElement().map(Self.blog)
            guard let blog, try await mayRead(blog, reader, on: connection) else {
                throw FerryError(.notFound, "there is no blog at '\(slug)'")
            }
            return try await body(PostgresBlogReader(blog: blog, reader: reader, store: self, connection: connection))
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
    func mayRead(_ blog: Blog, _ reader: IdentityID?, on connection: PostgresConnection) async throws -> Bool {
        guard blog.visibility == .private else { return true }
        guard let reader else { return false }
        if reader == blog.ownerID { return true }
        return try await connection.query(
            """
            SELECT 1 FROM contact WHERE identityId = \(blog.ownerID.rawValue) AND contactId = \(reader.rawValue) AND state = 'accepted'
            """, logger: logger
        ).decode(Int.self).firstElement() != nil
    }

    func identity(_ id: IdentityID, on connection: PostgresConnection) async throws -> Identity? {
        try await connection.query("SELECT \(unescaped: Self.identityColumns) FROM identity WHERE id = \(id.rawValue)", logger: logger)
            .decode(IdentityColumns.self).firstElement().map(Self.identity)
    }

}
