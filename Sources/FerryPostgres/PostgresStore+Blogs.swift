import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: BlogStore {
    public func createBlog(
        slug: BlogSlug, owner: IdentityID, title: String, language: LanguageTag, visibility: BlogVisibility, at now: Date
    ) async throws -> Blog {
        let blog = try await transaction { connection in
            let reserved = try await connection.query(
                """
                SELECT 1 FROM migration WHERE blogSlug = \(slug.rawValue) AND mode = 'new' AND status IN ('queued', 'running') LIMIT 1
                """, logger: logger
            ).decode(Int.self).firstElement()
            guard reserved == nil else {
                throw FerryError(.conflict, "the blog address '\(slug)' is being taken by a blog that is moving here", field: "slug")
            }
            let blog = try await insertBlog(slug, owner: owner, title: title, language: language, visibility: visibility, at: now, on: connection)
            try await recordChanges([blog.id], on: connection)
            return blog
        }
        await changes.announce(blog.id)
        return blog
    }

    /// Inserts a new blog; a taken slug is a conflict (and ends the transaction).
    func insertBlog(
        _ slug: BlogSlug, owner: IdentityID, title: String, language: LanguageTag, visibility: BlogVisibility, at now: Date = Date(),
        on connection: PostgresConnection
    ) async throws -> Blog {
        let feedID = "urn:uuid:\(UUID().uuidString.lowercased())"
        let blog: Blog?
        do {
            blog = try await connection.query(
                """
                INSERT INTO blog (slug, ownerId, title, language, visibility, allowsAnonymousComments, feedId, createdAt, updatedAt)
                VALUES (\(slug.rawValue), \(owner.rawValue), \(title), \(language.rawValue), \(visibility.rawValue), FALSE, \(feedID), \(now), \(now))
                RETURNING \(unescaped: Self.blogColumns)
                """, logger: logger
            ).decode(BlogColumns.self).firstElement().map(Self.blog)
        } catch let error as PSQLError where error.isUniqueViolation {
            throw FerryError(.conflict, "the blog address '\(slug)' is already taken", field: "slug")
        }
        guard let blog else { throw FerryError.brokenInvariant("an inserted blog was not returned") }
        return blog
    }

    public func blog(slug: BlogSlug) async throws -> Blog? {
        try await client.query("SELECT \(unescaped: Self.blogColumns) FROM blog WHERE slug = \(slug.rawValue)", logger: logger)
            .decode(BlogColumns.self).firstElement().map(Self.blog)
    }

    public func owner(ofBlog id: BlogID) async throws -> IdentityID? {
        try await client.query("SELECT ownerId FROM blog WHERE id = \(id.rawValue)", logger: logger)
            .decode(Int64.self).firstElement().map(IdentityID.init)
    }

    public func privateBlogSlugs() async throws -> [BlogSlug] {
        try await client.query("SELECT slug FROM blog WHERE visibility = 'private'", logger: logger)
            .decode(String.self).all().map(BlogSlug.init(trusted:))
    }

    public func blogs(ownedBy owner: IdentityID) async throws -> [Blog] {
        // A blog still being imported in stages (its slug starts with "~") is not the owner's yet.
        try await client.query(
            "SELECT \(unescaped: Self.blogColumns) FROM blog WHERE ownerId = \(owner.rawValue) AND slug NOT LIKE '~%' ORDER BY slug",
            logger: logger
        ).decode(BlogColumns.self).all().map(Self.blog)
    }

    public func updateBlog(_ slug: BlogSlug, by editor: IdentityID, with update: BlogUpdate, at now: Date) async throws -> Blog {
        let (blog, changed) = try await transaction { connection in
            let current = try await editableBlog(slug, by: editor, on: connection)
            let updated = try current.applying(update)
            guard updated != current else { return (updated, false) }
            try await connection.query(
                """
                UPDATE blog SET title = \(updated.title), language = \(updated.language.rawValue), visibility = \(updated.visibility.rawValue),
                    allowsAnonymousComments = \(updated.allowsAnonymousComments), updatedAt = \(now)
                WHERE id = \(updated.id.rawValue)
                """, logger: logger)
            try await recordChanges([updated.id], on: connection)
            return (updated, true)
        }
        if changed { await changes.announce(blog.id) }
        return blog
    }

    public func ownedBlog(_ slug: BlogSlug, by owner: IdentityID) async throws -> Blog {
        try await client.withConnection { connection in try await editableBlog(slug, by: owner, on: connection, locking: false) }
    }

    /// The blog at `slug` if `editor` owns it, locked for the rest of the transaction.
    func editableBlog(_ slug: BlogSlug, by editor: IdentityID, on connection: PostgresConnection, locking: Bool = true) async throws -> Blog {
        guard
            let blog = try await connection.query(
                "SELECT \(unescaped: Self.blogColumns) FROM blog WHERE slug = \(slug.rawValue) \(unescaped: locking ? "FOR UPDATE" : "")",
                logger: logger
            ).decode(BlogColumns.self).firstElement().map(Self.blog)
        else { throw FerryError(.notFound, "there is no blog at '\(slug)'") }
        guard blog.ownerID == editor else {
            if blog.visibility == .private { throw FerryError(.notFound, "there is no blog at '\(slug)'") }
            throw FerryError(.forbidden, "only the owner of '\(slug)' may change it")
        }
        return blog
    }

    typealias BlogColumns = (Int64, String, Int64, String, String, String, Bool, String, Date, Date?)
    static let blogColumns = "id, slug, ownerId, title, language, visibility, allowsAnonymousComments, feedId, createdAt, linkedAt"

    static func blog(_ row: BlogColumns) throws -> Blog {
        guard let visibility = BlogVisibility(rawValue: row.5) else {
            throw FerryError.brokenInvariant("blog \(row.0) has the unknown visibility '\(row.5)'")
        }
        return Blog(
            id: BlogID(row.0), slug: BlogSlug(trusted: row.1), ownerID: IdentityID(row.2), title: row.3,
            language: LanguageTag(trusted: row.4), visibility: visibility, allowsAnonymousComments: row.6, feedID: row.7,
            createdAt: row.8, linkedAt: row.9)
    }
}
