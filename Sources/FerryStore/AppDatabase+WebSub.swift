import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    static func registerWebSubMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("030-websub") { db in
            try db.execute(
                sql: """
                    -- Requests to (un)subscribe awaiting their verification of intent: the
                    -- latest request per topic and callback wins.
                    CREATE TABLE websub_request (
                        id INTEGER PRIMARY KEY,
                        mode TEXT NOT NULL CHECK (mode IN ('subscribe', 'unsubscribe')),
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        topic TEXT NOT NULL,
                        callback TEXT NOT NULL,
                        callbackHost TEXT NOT NULL,
                        secret TEXT,
                        leaseSeconds INTEGER NOT NULL,
                        dueAt DATETIME NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        claimedUntil DATETIME,
                        UNIQUE (blogId, callback)
                    );
                    CREATE INDEX websub_request_due ON websub_request(dueAt);
                    CREATE INDEX websub_request_host ON websub_request(callbackHost);
                    -- Verified subscriptions. contentTag names the feed document the subscriber
                    -- has, or is due while dueAt is set; markedAt is when it was last made due.
                    CREATE TABLE websub_subscription (
                        id INTEGER PRIMARY KEY,
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        callback TEXT NOT NULL,
                        callbackHost TEXT NOT NULL,
                        secret TEXT,
                        expiresAt DATETIME NOT NULL,
                        contentTag TEXT NOT NULL,
                        dueAt DATETIME,
                        markedAt DATETIME,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        claimedUntil DATETIME,
                        UNIQUE (blogId, callback)
                    );
                    CREATE INDEX websub_subscription_due ON websub_subscription(dueAt) WHERE dueAt IS NOT NULL;
                    CREATE INDEX websub_subscription_host ON websub_subscription(callbackHost);
                    CREATE INDEX websub_subscription_expiry ON websub_subscription(expiresAt);
                    -- The document each topic with subscribers is at. A change is one write here
                    -- (pending), whatever the number of subscribers; the deliverer then makes
                    -- them due it.
                    CREATE TABLE websub_topic (
                        blogId INTEGER PRIMARY KEY REFERENCES blog(id) ON DELETE CASCADE,
                        contentTag TEXT NOT NULL,
                        markedAt DATETIME NOT NULL,
                        pending INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX websub_topic_pending ON websub_topic(blogId) WHERE pending = 1;
                    """)
        }
        migrator.registerMigration("031-blog-changes-by-blog") { db in
            // The newest change of each blog, for the stream's validator (`streamStamp`).
            try db.execute(sql: "CREATE INDEX blog_change_blog ON blog_change(blogId, id)")
        }
    }
}

extension AppDatabase: WebSubStore {
    public func requestWebSub(_ request: WebSubRequest, limits: WebSubLimits, at now: Date) async throws {
        try await writer.write { db in
            if request.mode == .subscribe {
                try Self.checkRoom(for: request, limits: limits, at: now, db: db)
            }
            try db.execute(
                sql: """
                    INSERT INTO websub_request (mode, blogId, topic, callback, callbackHost, secret, leaseSeconds, dueAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (blogId, callback) DO UPDATE SET mode = excluded.mode, topic = excluded.topic, secret = excluded.secret,
                        leaseSeconds = excluded.leaseSeconds, dueAt = excluded.dueAt, attempts = 0, claimedUntil = NULL
                    """,
                arguments: [
                    request.mode.rawValue, request.blog.rawValue, request.topic, request.callback, request.callbackHost, request.secret,
                    request.leaseSeconds, now,
                ])
        }
    }

    /// A renewal always fits; a new subscriber must fit its topic's and its host's limits,
    /// counting the subscriptions that are live and the requests waiting.
    private static func checkRoom(for request: WebSubRequest, limits: WebSubLimits, at now: Date, db: Database) throws {
        let known =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM websub_subscription WHERE blogId = ? AND callback = ? AND expiresAt > ?)",
                arguments: [request.blog.rawValue, request.callback, now]) ?? false
        guard !known else { return }
        let counts = try Row.fetchOne(
            db,
            sql: """
                SELECT (SELECT count(*) FROM websub_subscription WHERE blogId = :blog AND expiresAt > :now)
                     + (SELECT count(*) FROM websub_request r WHERE blogId = :blog AND \(newSubscriber)) AS topic,
                       (SELECT count(*) FROM websub_subscription WHERE callbackHost = :host AND expiresAt > :now)
                     + (SELECT count(*) FROM websub_request r WHERE callbackHost = :host AND \(newSubscriber)) AS host
                """,
            arguments: ["blog": request.blog.rawValue, "now": now, "host": request.callbackHost, "callback": request.callback])
        try WebSubLimits.check(topic: counts?["topic"] ?? 0, host: counts?["host"] ?? 0, against: limits, host: request.callbackHost)
    }

    /// A waiting request `r` that would add a subscriber: not a renewal, not this request's own.
    static let newSubscriber = """
        r.mode = 'subscribe' AND r.callback <> :callback
        AND NOT EXISTS (SELECT 1 FROM websub_subscription s WHERE s.blogId = r.blogId AND s.callback = r.callback)
        """

    public func claimWebSubRequests(limit: Int, for duration: TimeInterval, at now: Date) async throws -> [WebSubPendingRequest] {
        try await writer.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE websub_request SET claimedUntil = ?
                    WHERE id IN (SELECT id FROM websub_request WHERE dueAt <= ? AND (claimedUntil IS NULL OR claimedUntil < ?) ORDER BY dueAt, id LIMIT ?)
                    RETURNING id, mode, blogId, topic, callback, callbackHost, secret, leaseSeconds, attempts
                    """, arguments: [now.addingTimeInterval(duration), now, now, limit]
            ).map(Self.pendingRequest)
        }
    }

    private static func pendingRequest(_ row: Row) throws -> WebSubPendingRequest {
        guard let mode = WebSubMode(rawValue: row["mode"]) else { throw FerryError.brokenInvariant("unknown WebSub mode \(row["mode"] ?? "")") }
        return WebSubPendingRequest(
            id: row["id"],
            request: WebSubRequest(
                mode: mode, blog: BlogID(row["blogId"]), topic: row["topic"], callback: row["callback"], callbackHost: row["callbackHost"],
                secret: row["secret"], leaseSeconds: row["leaseSeconds"]),
            attempts: row["attempts"])
    }

    public func finishWebSubRequest(_ pending: WebSubPendingRequest, verified: Bool, contentTag: String, at now: Date) async throws {
        let request = pending.request
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM websub_request WHERE id = ?", arguments: [pending.id])
            guard verified else { return }
            switch request.mode {
            case .subscribe:
                // A new subscriber is at the topic's document: owed nothing until it changes.
                try db.execute(
                    sql: "INSERT INTO websub_topic (blogId, contentTag, markedAt) VALUES (?, ?, ?) ON CONFLICT (blogId) DO NOTHING",
                    arguments: [request.blog.rawValue, contentTag, now])
                try db.execute(
                    sql: """
                        INSERT INTO websub_subscription (blogId, callback, callbackHost, secret, expiresAt, contentTag)
                        VALUES (:blog, :callback, :host, :secret, :expires, (SELECT contentTag FROM websub_topic WHERE blogId = :blog))
                        ON CONFLICT (blogId, callback) DO UPDATE SET secret = excluded.secret, expiresAt = excluded.expiresAt
                        """,
                    arguments: [
                        "blog": request.blog.rawValue, "callback": request.callback, "host": request.callbackHost, "secret": request.secret,
                        "expires": now.addingTimeInterval(TimeInterval(request.leaseSeconds)),
                    ])
            case .unsubscribe:
                try db.execute(
                    sql: "DELETE FROM websub_subscription WHERE blogId = ? AND callback = ?", arguments: [request.blog.rawValue, request.callback])
                try Self.dropTopicsWithoutSubscribers([request.blog.rawValue], db: db)
            }
        }
    }

    public func retryWebSubRequest(_ pending: WebSubPendingRequest, at next: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE websub_request SET dueAt = ?, attempts = attempts + 1, claimedUntil = NULL WHERE id = ?", arguments: [next, pending.id])
        }
    }

    public func markWebSubTopicChanged(_ blog: BlogID, contentTag: String, at now: Date) async throws -> Bool {
        // Most blogs have no subscriber: a read finds that without waiting for the writer.
        let stale = try await writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM websub_topic WHERE blogId = ? AND contentTag <> ?)", arguments: [blog.rawValue, contentTag])
        }
        guard stale == true else { return false }
        return try await writer.write { db in
            try db.execute(
                sql: "UPDATE websub_topic SET contentTag = ?, markedAt = ?, pending = 1 WHERE blogId = ? AND contentTag <> ?",
                arguments: [contentTag, now, blog.rawValue, contentTag])
            return db.changesCount > 0
        }
    }

    public func claimWebSubDeliveries(limit: Int, for duration: TimeInterval, at now: Date) async throws -> [WebSubDelivery] {
        try await writer.write { db in
            let ended = try Int64.fetchAll(db, sql: "DELETE FROM websub_subscription WHERE expiresAt <= ? RETURNING blogId", arguments: [now])
            try Self.dropTopicsWithoutSubscribers(ended, db: db)
            // Every subscriber of a changed topic becomes due its document (one writer: no mark
            // comes between these statements).
            try db.execute(
                sql: """
                    UPDATE websub_subscription SET contentTag = t.contentTag, dueAt = ?, markedAt = t.markedAt, attempts = 0
                    FROM websub_topic t WHERE t.pending = 1 AND websub_subscription.blogId = t.blogId AND websub_subscription.contentTag <> t.contentTag
                    """, arguments: [now])
            try db.execute(sql: "UPDATE websub_topic SET pending = 0 WHERE pending = 1")
            return try Row.fetchAll(
                db,
                sql: """
                    UPDATE websub_subscription SET claimedUntil = ?
                    WHERE id IN (
                        SELECT id FROM websub_subscription WHERE dueAt <= ? AND (claimedUntil IS NULL OR claimedUntil < ?) ORDER BY dueAt, id LIMIT ?)
                    RETURNING id, blogId, callback, secret, contentTag, attempts, expiresAt
                    """, arguments: [now.addingTimeInterval(duration), now, now, limit]
            ).map {
                WebSubDelivery(
                    id: $0["id"], blog: BlogID($0["blogId"]), callback: $0["callback"], secret: $0["secret"], contentTag: $0["contentTag"],
                    attempts: $0["attempts"], expiresAt: $0["expiresAt"])
            }
        }
    }

    public func finishWebSubDelivery(_ delivery: WebSubDelivery, _ outcome: WebSubDeliveryOutcome, at now: Date) async throws {
        try await writer.write { db in
            switch outcome {
            case .delivered(let tag, let renderedAt):
                try db.execute(sql: Self.deliveredSQL, arguments: ["tag": tag, "rendered": renderedAt, "id": delivery.id])
            case .retry(let next):
                try db.execute(
                    sql: """
                        UPDATE websub_subscription SET claimedUntil = NULL,
                            dueAt = CASE WHEN contentTag = :tag THEN :next ELSE dueAt END,
                            attempts = CASE WHEN contentTag = :tag THEN attempts + 1 ELSE attempts END
                        WHERE id = :id
                        """, arguments: ["tag": delivery.contentTag, "next": next, "id": delivery.id])
            case .ended:
                try db.execute(sql: "DELETE FROM websub_subscription WHERE id = ?", arguments: [delivery.id])
                try Self.dropTopicsWithoutSubscribers([delivery.blog.rawValue], db: db)
            }
        }
    }

    /// Forgets the topics of `blogs` that have no subscriber left.
    private static func dropTopicsWithoutSubscribers(_ blogs: [Int64], db: Database) throws {
        for blog in Set(blogs) {
            try db.execute(
                sql: "DELETE FROM websub_topic WHERE blogId = ? AND NOT EXISTS (SELECT 1 FROM websub_subscription WHERE blogId = ?)",
                arguments: [blog, blog])
        }
    }

    /// The subscriber has the document tagged `:tag`, rendered from the database at `:rendered`
    /// (or kept in memory, when null). It is no longer due if that is the document it was due,
    /// or if it was made due before the render began (so the render is newer than whatever it
    /// was due, even when marks arrived out of order). A change marked since stays due.
    static let deliveredSQL = """
        UPDATE websub_subscription SET claimedUntil = NULL,
            dueAt = CASE WHEN contentTag = :tag OR markedAt <= :rendered THEN NULL ELSE dueAt END,
            attempts = CASE WHEN contentTag = :tag OR markedAt <= :rendered THEN 0 ELSE attempts END,
            contentTag = CASE WHEN markedAt <= :rendered THEN :tag ELSE contentTag END
        WHERE id = :id
        """

    public func nextWebSubWork(at now: Date) async throws -> Date? {
        try await writer.read { db in
            try Date.fetchOne(
                db,
                sql: """
                    SELECT min(at) FROM (
                        SELECT min(max(dueAt, coalesce(claimedUntil, dueAt))) AS at FROM websub_request
                        UNION ALL SELECT min(max(dueAt, coalesce(claimedUntil, dueAt))) FROM websub_subscription WHERE dueAt IS NOT NULL
                        UNION ALL SELECT min(markedAt) FROM websub_topic WHERE pending = 1)
                    """)
        }
    }

    public func webSubSubscriptions(of blog: BlogID, at now: Date) async throws -> [WebSubSubscription] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.callback, s.expiresAt, CASE WHEN t.pending = 1 THEN t.contentTag ELSE s.contentTag END AS tag,
                        s.dueAt IS NOT NULL OR (t.pending = 1 AND t.contentTag <> s.contentTag) AS due
                    FROM websub_subscription s LEFT JOIN websub_topic t ON t.blogId = s.blogId
                    WHERE s.blogId = ? AND s.expiresAt > ? ORDER BY s.callback
                    """,
                arguments: [blog.rawValue, now]
            ).map { WebSubSubscription(callback: $0["callback"], expiresAt: $0["expiresAt"], contentTag: $0["tag"], isDue: $0["due"]) }
        }
    }
}

extension WebSubLimits {
    /// Refuses a new subscriber when `topic` or `host` subscriptions are already there.
    public static func check(topic: Int, host: Int, against limits: WebSubLimits, host name: String) throws(FerryError) {
        if topic >= limits.perTopic {
            throw FerryError(.tooMany, "this topic has \(limits.perTopic) subscribers already, the most this hub takes", field: "hub.topic")
        }
        if host >= limits.perCallbackHost {
            throw FerryError(
                .tooMany, "\(name) has \(limits.perCallbackHost) subscriptions here already, the most this hub takes per host", field: "hub.callback")
        }
    }
}
