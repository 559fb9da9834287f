import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: StreamStore {
    public func stream(of viewer: IdentityID, before: ActivityID?, limit: Int) async throws -> [StreamItem] {
        try await snapshot { connection in try await stream(of: viewer, before: before, limit: limit, on: connection) }
    }

    public func streamReading(of viewer: IdentityID, before: ActivityID?, limit: Int) async throws -> (viewer: Identity, items: [StreamItem])? {
        try await snapshot { connection -> (viewer: Identity, items: [StreamItem])? in
            guard let identity = try await identity(viewer, on: connection) else { return nil }
            return (identity, try await stream(of: viewer, before: before, limit: limit, on: connection))
        }
    }

    public func streamStamp(of viewer: IdentityID) async throws -> String? {
        guard
            let row = try await client.query(
                """
                SELECT i.updatedAt,
                    (SELECT max(bc.id) FROM blog_change bc WHERE bc.blogId IN (
                        SELECT b.id FROM contact c JOIN blog b ON b.ownerId = c.contactId WHERE c.identityId = i.id AND c.state = 'accepted'
                        UNION ALL SELECT b.id FROM blog b WHERE b.ownerId = i.id)),
                    (SELECT count(*) FROM contact c WHERE c.identityId = i.id AND c.state = 'accepted'),
                    (SELECT coalesce(sum(c.contactId), 0)::BIGINT FROM contact c WHERE c.identityId = i.id AND c.state = 'accepted')
                FROM identity i WHERE i.id = \(viewer.rawValue)
                """, logger: logger
            ).decode((Date, Int64?, Int64, Int64).self).firstElement()
        else { return nil }
        return "\(row.0.timeIntervalSince1970)-\(row.1 ?? 0)-\(row.2)-\(row.3)"
    }

    public func publicActivities(of handle: Handle, limit: Int) async throws -> (actor: Identity, items: [StreamItem])? {
        try await snapshot { connection -> (actor: Identity, items: [StreamItem])? in
            guard let actor = try await identity(handle: handle, on: connection) else { return nil }
            let ids = try await connection.query(
                """
                SELECT a.id FROM activity a JOIN blog b ON b.id = a.blogId
                WHERE a.actorId = \(actor.id.rawValue) AND a.audienceId IS NULL AND b.linkedAt IS NOT NULL AND b.visibility IN ('public', 'hidden')
                ORDER BY a.id DESC LIMIT \(limit)
                """, logger: logger
            ).decode(Int64.self).all()
            return (actor, try await streamItems(ids, on: connection))
        }
    }

    public func profile(_ handle: Handle, viewedBy viewer: IdentityID?) async throws -> ProfileReading? {
        try await snapshot { connection -> ProfileReading? in
            guard let identity = try await identity(handle: handle, on: connection) else { return nil }
            var linked: [Blog] = []
            for blog in try await connection.query(
                """
                SELECT \(unescaped: Self.blogColumns) FROM blog
                WHERE ownerId = \(identity.id.rawValue) AND linkedAt IS NOT NULL AND slug NOT LIKE '~%' ORDER BY slug
                """, logger: logger
            ).decode(BlogColumns.self).all().map(Self.blog) where try await mayRead(blog, viewer, on: connection) {
                linked.append(blog)
            }
            let own = viewer == identity.id
            return ProfileReading(
                identity: identity, linkedBlogs: linked, claims: own ? try await claims(of: identity.id, on: connection) : [], isOwnProfile: own)
        }
    }

    /// The same windowed fan-out on read as on SQLite (see `AppDatabase.stream`): contacts
    /// whose latest activity is older than the window are skipped through `actor_latest`.
    private func stream(of viewer: IdentityID, before: ActivityID?, limit: Int, on connection: PostgresConnection) async throws -> [StreamItem] {
        // One round trip for the three numbers the window is sized by.
        let sizes =
            try await connection.query(
                """
                SELECT (SELECT coalesce(max(id), 0) + 1 FROM activity),
                       (SELECT count(*) FROM contact WHERE identityId = \(viewer.rawValue) AND state = 'accepted'),
                       (SELECT coalesce(max(id), 1) FROM identity)
                """, logger: logger
            ).decode((Int64, Int64, Int64).self).firstElement()
        let (newest, contacts, population) = sizes ?? (0, 0, 1)
        let upper = before?.rawValue ?? newest
        var window = max(1_024, 2 * Int64(limit) * population / max(1, contacts))
        var ids: [Int64]
        repeat {
            let lower = max(0, upper - window)
            ids = try await connection.query(
                """
                SELECT a.id FROM contact c
                JOIN actor_latest l ON l.actorId = c.contactId AND l.activityId > \(lower)
                JOIN activity a ON a.actorId = c.contactId AND a.id > \(lower) AND a.id < \(upper)
                JOIN blog b ON b.id = a.blogId
                WHERE c.identityId = \(viewer.rawValue) AND c.state = 'accepted' AND a.audienceId IS NULL AND b.linkedAt IS NOT NULL
                UNION ALL
                SELECT a.id FROM activity a JOIN blog b ON b.id = a.blogId
                WHERE a.audienceId = \(viewer.rawValue) AND a.id > \(lower) AND a.id < \(upper) AND b.linkedAt IS NOT NULL
                ORDER BY 1 DESC LIMIT \(limit)
                """, logger: logger
            ).decode(Int64.self).all()
            if ids.count >= limit || lower == 0 { break }
            window = window.multipliedReportingOverflow(by: 8).overflow ? upper : window * 8
        } while true
        return try await streamItems(ids, on: connection)
    }

    /// The activities `ids` (newest first) with their actors, blogs, posts and comments, in one query.
    private func streamItems(_ ids: [Int64], on connection: PostgresConnection) async throws -> [StreamItem] {
        guard !ids.isEmpty else { return [] }
        var items: [StreamItem] = []
        for try await row in try await connection.query(
            """
            SELECT \(unescaped: Self.streamItemColumns),
                   p.id, p.entryId, p.month, p.slug, p.title, p.content, p.tags, p.publishedAt, p.updatedAt, p.commentCount, p.kind,
                   c.content
            FROM activity a
            JOIN identity i ON i.id = a.actorId
            JOIN blog b ON b.id = a.blogId
            LEFT JOIN post p ON p.id = a.postId
            LEFT JOIN comment c ON c.id = a.commentId
            WHERE a.id = ANY(\(ids)) ORDER BY a.id DESC
            """, logger: logger)
        {
            var cells = RowCells(row)
            let activity: ActivityColumns = (
                try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(),
                try cells.next(), try cells.next()
            )
            let actor: IdentityColumns = (
                try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(),
                try cells.next()
            )
            let blog: BlogColumns = (
                try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(),
                try cells.next(), try cells.next(), try cells.next()
            )
            guard let activity = Self.activity(activity) else { continue }
            var post: Post?
            if let id: Int64 = try cells.next() {
                post = try Self.post(
                    (
                        id, activity.blog.rawValue, try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(),
                        try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next()
                    ))
            } else {
                for _ in 0..<10 { _ = try cells.next(String?.self) }
            }
            items.append(StreamItem(activity: activity, actor: Self.identity(actor), blog: try Self.blog(blog), post: post, comment: try cells.next()))
        }
        return items
    }

    /// The activity's, its actor's and its blog's columns, in the order their decoders read them.
    private static let streamItemColumns = [("a", activityColumns), ("i", identityColumns), ("b", blogColumns)].map { alias, columns in
        columns.split(separator: ",").map { "\(alias).\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
    }.joined(separator: ", ")

    func identity(handle: Handle, on connection: PostgresConnection) async throws -> Identity? {
        try await connection.query("SELECT \(unescaped: Self.identityColumns) FROM identity WHERE handle = \(handle.rawValue)", logger: logger)
            .decode(IdentityColumns.self).firstElement().map(Self.identity)
    }
}
