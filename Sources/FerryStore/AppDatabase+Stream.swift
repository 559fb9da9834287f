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

    public init(activity: Activity, actor: Identity, blog: Blog, post: Post?, comment: String?) {
        self.activity = activity
        self.actor = actor
        self.blog = blog
        self.post = post
        self.comment = comment
    }
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

    public func streamStamp(of viewer: IdentityID) async throws -> String? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT i.updatedAt,
                                (SELECT max(bc.id) FROM blog_change bc WHERE bc.blogId IN (
                                    SELECT b.id FROM contact c JOIN blog b ON b.ownerId = c.contactId WHERE c.identityId = i.id AND c.state = 'accepted'
                                    UNION ALL SELECT b.id FROM blog b WHERE b.ownerId = i.id)),
                                (SELECT count(*) FROM contact c WHERE c.identityId = i.id AND c.state = 'accepted'),
                                (SELECT total(c.contactId) FROM contact c WHERE c.identityId = i.id AND c.state = 'accepted')
                            FROM identity i WHERE i.id = ?
                            """), arguments: [viewer.rawValue])
            else { return nil }
            let updated: Date = row[0]
            return "\(updated.timeIntervalSince1970)-\(row[1] as Int64? ?? 0)-\(row[2] as Int64)-\(Int64(row[3] as Double))"
        }
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
    /// one query however long the page. Columns are read by position: looking 36 names up in
    /// each of 50 rows cost more than the query. The activity is read by its own decoder; the
    /// actor, blog and post by the columns the stream shows only, not by their records'
    /// decoders, whose columns it does not need (a password hash, two more dates to parse per
    /// row): reading whole records here cost 10–17 % of the stream's throughput under load.
    private static func streamItems(_ ids: [Int64], db: Database) throws -> [StreamItem] {
        guard !ids.isEmpty else { return [] }
        // Cached by its text, so once per page length.
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(activityColumns),
                           i.handle, i.displayName, i.bio, i.location, i.website, i.photoURL, i.createdAt,
                           b.slug, b.title, b.language, b.visibility, b.allowsAnonymousComments, b.feedId, b.createdAt, b.linkedAt,
                           p.entryId, p.month, p.slug, p.title, p.content, p.tags, p.publishedAt, p.updatedAt, p.commentCount,
                           c.content, b.ownerId
                    FROM activity a
                    JOIN identity i ON i.id = a.actorId
                    JOIN blog b ON b.id = a.blogId
                    LEFT JOIN post p ON p.id = a.postId
                    LEFT JOIN comment c ON c.id = a.commentId
                    WHERE a.id IN (\(placeholders(ids.count))) ORDER BY a.id DESC
                    """), arguments: StatementArguments(ids))
        return try rows.compactMap(streamItem)
    }

    private static let activityColumns = ActivityRow.selection("a")

    /// One row of `streamItems`' query; nil for a verb this version does not know.
    private static func streamItem(_ row: Row) throws -> StreamItem? {
        guard let activity = ActivityRow.activity(row, at: 0), let visibility = BlogVisibility(rawValue: row[19]) else { return nil }
        let actor = Identity(
            id: activity.actor, handle: Handle(trusted: row[9]),
            profile: Profile(displayName: row[10], bio: row[11], location: row[12], website: row[13], photoURL: row[14]), createdAt: row[15]
        )
        let blog = Blog(
            id: activity.blog, slug: BlogSlug(trusted: row[16]), ownerID: IdentityID(row[34]), title: row[17], language: LanguageTag(trusted: row[18]),
            visibility: visibility, allowsAnonymousComments: row[20], feedID: row[21], createdAt: row[22], linkedAt: row[23]
        )
        var post: Post?
        if let id = activity.post, let month = PostMonth(key: row[25]) {
            post = Post(
                id: id, blogID: activity.blog, entryID: row[24], month: month, slug: PostSlug(trusted: row[26]), title: row[27], content: row[28],
                tags: try JSONDecoder().decode([String].self, from: Data((row[29] as String).utf8)), publishedAt: row[30], updatedAt: row[31],
                commentCount: row[32]
            )
        }
        return StreamItem(activity: activity, actor: actor, blog: blog, post: post, comment: row[33])
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}
