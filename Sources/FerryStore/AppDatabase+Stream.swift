import FerryCore
import Foundation
import GRDB

/// An activity with everything a stream shows of it, as it is when the stream is read.
public struct StreamItem: Sendable {
    public var activity: Activity
    public var actor: Identity
    public var blog: Blog
    public var post: Post?
    public var comment: String?
}

extension AppDatabase {
    /// What `viewer`'s accepted contacts did in their linked blogs (and comments by anyone on
    /// `viewer`'s linked blogs), newest first, older than `before`.
    ///
    /// Fan-out on read: who may see what is decided here, from contacts and links as they are
    /// now. Each accepted contact's activities are an index range of `activity_shared_by_actor`;
    /// rather than merging whole histories, the ranges are cut to a window of ids below
    /// `before`, and contacts whose latest activity is older than the window are skipped
    /// without a seek into it (`actor_latest`, kept by a trigger), so a page costs a scan of
    /// the viewer's contact rows, a seek per recently active contact, and the rows shown. The
    /// first window is sized to hold two pages if the contacts are as active as anyone (a
    /// viewer with few contacts needs a wide one); it grows eightfold until it holds a page
    /// or reaches the first id.
    public func stream(of viewer: IdentityID, before: ActivityID?, limit: Int) async throws -> [StreamItem] {
        try await writer.read { db in try Self.stream(of: viewer, before: before, limit: limit, db: db) }
    }

    /// The viewer and their stream (see `stream(of:before:limit:)`), read in one transaction,
    /// for pages that show both; nil when the identity is gone.
    public func streamReading(of viewer: IdentityID, before: ActivityID?, limit: Int) async throws -> (viewer: Identity, items: [StreamItem])? {
        try await writer.read { db in
            guard let identity = try IdentityRecord.fetchOne(db, key: viewer.rawValue)?.identity() else { return nil }
            return (identity, try Self.stream(of: viewer, before: before, limit: limit, db: db))
        }
    }

    private static func stream(of viewer: IdentityID, before: ActivityID?, limit: Int, db: Database) throws -> [StreamItem] {
        let upper = try before?.rawValue ?? (Int64.fetchOne(db, sql: "SELECT max(id) + 1 FROM activity") ?? 0)
        let contacts =
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM contact WHERE identityId = ? AND state = 'accepted'"), arguments: [viewer.rawValue]
            ) ?? 0
        let population = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM identity")) ?? 1
        var window = max(1_024, 2 * Int64(limit) * population / max(1, contacts))
        var ids: [Int64]
        repeat {
            let lower = max(0, upper - window)
            ids = try Int64.fetchAll(
                db.cachedStatement(sql: Self.streamWindowSQL),
                arguments: [
                    "viewer": viewer.rawValue, "lower": lower, "upper": upper, "limit": limit,
                ])
            if ids.count >= limit || lower == 0 { break }
            window = window.multipliedReportingOverflow(by: 8).overflow ? upper : window * 8
        } while true
        return try streamItems(ids, db: db)
    }

    /// The ids in one window: contacts' shared activities, then comments for the viewer.
    private static let streamWindowSQL = """
        SELECT a.id FROM contact c
        JOIN actor_latest l ON l.actorId = c.contactId AND l.activityId > :lower
        JOIN activity a ON a.actorId = c.contactId AND a.id > :lower AND a.id < :upper
        JOIN blog b ON b.id = a.blogId
        WHERE c.identityId = :viewer AND c.state = 'accepted' AND a.audienceId IS NULL AND b.linkedAt IS NOT NULL
        UNION ALL
        SELECT a.id FROM activity a JOIN blog b ON b.id = a.blogId
        WHERE a.audienceId = :viewer AND a.id > :lower AND a.id < :upper AND b.linkedAt IS NOT NULL
        ORDER BY 1 DESC LIMIT :limit
        """

    /// The identity at `handle` and its activities anyone may see: those of its linked public
    /// and hidden blogs (never a private blog's, never a comment meant for one person), newest
    /// first, in one transaction; nil when there is no such identity.
    public func publicActivities(of handle: Handle, limit: Int) async throws -> (actor: Identity, items: [StreamItem])? {
        try await writer.read { db in
            guard let actor = try Self.record(handle: handle, in: db)?.identity() else { return nil }
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT a.id FROM activity a JOIN blog b ON b.id = a.blogId
                    WHERE a.actorId = ? AND a.audienceId IS NULL AND b.linkedAt IS NOT NULL AND b.visibility IN ('public', 'hidden')
                    ORDER BY a.id DESC LIMIT ?
                    """, arguments: [actor.id.rawValue, limit])
            return (actor, try Self.streamItems(ids, db: db))
        }
    }

    /// The activities `ids` (newest first) with their actors, blogs, posts and comments, in
    /// one query however long the page, each part read by its own decoder at its position.
    private static func streamItems(_ ids: [Int64], db: Database) throws -> [StreamItem] {
        guard !ids.isEmpty else { return [] }
        // Cached by its text, so once per page length.
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(streamSelection), c.content
                    FROM activity a
                    JOIN identity i ON i.id = a.actorId
                    JOIN blog b ON b.id = a.blogId
                    LEFT JOIN post p ON p.id = a.postId
                    LEFT JOIN comment c ON c.id = a.commentId
                    WHERE a.id IN (\(placeholders(ids.count))) ORDER BY a.id DESC
                    """), arguments: StatementArguments(ids))
        return try rows.compactMap(streamItem)
    }

    private static let streamSelection = [
        ActivityRow.selection("a"), IdentityRecord.selection("i"), BlogRecord.selection("b"), PostRecord.selection("p"),
    ].joined(separator: ", ")

    /// One row of `streamItems`' query; nil for a verb this version does not know.
    private static func streamItem(_ row: Row) throws -> StreamItem? {
        let identityStart = ActivityRow.columns.count
        let blogStart = identityStart + IdentityRecord.columns.count
        let postStart = blogStart + BlogRecord.columns.count
        let commentStart = postStart + PostRecord.columns.count
        guard let activity = ActivityRow.activity(row, at: 0) else { return nil }
        let post = activity.post == nil || row.hasNull(atIndex: postStart) ? nil : try PostRecord(row: row, at: postStart).post()
        return StreamItem(
            activity: activity, actor: try IdentityRecord(row: row, at: identityStart).identity(), blog: try BlogRecord(row: row, at: blogStart).blog(),
            post: post, comment: row[commentStart]
        )
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}
