import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Links the blog at `slug` to its owner's identity, recording a `link` activity the first
    /// time. The identity itself (profile, contacts, photo) is not touched.
    public func linkBlog(_ slug: BlogSlug, by owner: IdentityID, at now: Date = Date()) async throws -> Blog {
        let blog = try await writer.write { db in
            var record = try Self.blogRecord(slug, editableBy: owner, in: db)
            guard record.linkedAt == nil else { return try record.blog() }
            record.linkedAt = now
            try record.update(db)
            let blog = try record.blog()
            try Self.recordActivity(.link, blog: blog, post: nil, at: now, db: db)
            try changes.record([blog.id], in: db)
            return blog
        }
        await changes.announce(blog.id)
        return blog
    }

    /// Unlinks the blog at `slug`: it stops sharing new activities, and its earlier ones reach
    /// nobody while it stays unlinked.
    public func unlinkBlog(_ slug: BlogSlug, by owner: IdentityID) async throws -> Blog {
        let blog = try await writer.write { db in
            var record = try Self.blogRecord(slug, editableBy: owner, in: db)
            guard record.linkedAt != nil else { return try record.blog() }
            record.linkedAt = nil
            try record.update(db)
            let blog = try record.blog()
            try changes.record([blog.id], in: db)
            return blog
        }
        await changes.announce(blog.id)
        return blog
    }

    /// What an identity shared with its contacts (not comments meant for one person), newest first.
    public func activities(by actor: IdentityID, limit: Int) async throws -> [Activity] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(ActivityRow.selection("a")) FROM activity a WHERE actorId = ? AND audienceId IS NULL ORDER BY id DESC LIMIT ?",
                arguments: [actor.rawValue, limit]
            ).compactMap { ActivityRow.activity($0, at: 0) }
        }
    }

    /// Records that `blog` did `verb`, if it is linked; an unlinked blog shares nothing.
    /// `actor` defaults to the blog's owner; a comment's actor is its writer, for `audience`.
    static func recordActivity(
        _ verb: ActivityVerb, blog: Blog, post: PostID?, comment: CommentID? = nil, actor: IdentityID? = nil,
        audience: IdentityID? = nil, summary: String? = nil, at now: Date, db: Database
    ) throws {
        guard blog.isLinked else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO activity (actorId, blogId, postId, commentId, audienceId, verb, summary, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            (actor ?? blog.ownerID).rawValue, blog.id.rawValue, post?.rawValue, comment?.rawValue, audience?.rawValue, verb.rawValue,
            summary, CivilDay(containing: now).storedText,
        ])
    }

    /// How long after a post's newest `post` or `update` activity further edits are part of
    /// the same burst, and record nothing new.
    public static let editBurst: TimeInterval = 5 * 60

    /// Records an `update` for an edit of `old` into `new`, unless the edit is small or part of
    /// a burst (the stream shows the post as it is when read, so the burst's last edit shows).
    static func recordEdit(of old: Post, to new: Post, blog: Blog, at now: Date, db: Database) throws {
        // A page is not news: editing it is never an activity.
        guard blog.isLinked, new.kind == .post, PostEdit(from: old, to: new).isSubstantial else { return }
        let newest = try Date.fetchOne(
            db,
            sql: """
                SELECT createdAt FROM activity WHERE postId = ? AND verb IN ('post', 'update') ORDER BY id DESC LIMIT 1
                """, arguments: [new.id.rawValue])
        if let newest, now.timeIntervalSince(newest) < editBurst { return }
        try recordActivity(.update, blog: blog, post: new.id, at: now, db: db)
    }

}

/// The one decoder of an `activity` row, by position like the records' (see Records.swift).
enum ActivityRow {
    static let columns = ["id", "actorId", "blogId", "postId", "commentId", "audienceId", "verb", "summary", "createdAt"]

    /// `columns` for a query that names the table `alias`, comma-separated.
    static func selection(_ alias: String) -> String {
        columns.map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// The activity whose `columns` start at `start`; nil for a verb this version does not know.
    static func activity(_ row: Row, at start: Int) -> Activity? {
        guard let verb = ActivityVerb(rawValue: row[start + 6]) else { return nil }
        return Activity(
            id: ActivityID(row[start]), actor: IdentityID(row[start + 1]), blog: BlogID(row[start + 2]),
            post: (row[start + 3] as Int64?).map(PostID.init), comment: (row[start + 4] as Int64?).map(CommentID.init),
            audience: (row[start + 5] as Int64?).map(IdentityID.init), verb: verb, summary: row[start + 7], createdAt: row[start + 8]
        )
    }
}
