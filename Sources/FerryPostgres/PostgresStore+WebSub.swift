import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: WebSubStore {
    public func requestWebSub(_ request: WebSubRequest, limits: WebSubLimits, at now: Date) async throws {
        try await transaction { connection in
            if request.mode == .subscribe {
                try await checkRoom(for: request, limits: limits, at: now, on: connection)
            }
            try await connection.query(
                """
                INSERT INTO websub_request (mode, blogId, topic, callback, callbackHost, secret, leaseSeconds, dueAt)
                VALUES (\(request.mode.rawValue), \(request.blog.rawValue), \(request.topic), \(request.callback), \(request.callbackHost),
                    \(request.secret), \(request.leaseSeconds), \(now))
                ON CONFLICT (blogId, callback) DO UPDATE SET mode = excluded.mode, topic = excluded.topic, secret = excluded.secret,
                    leaseSeconds = excluded.leaseSeconds, dueAt = excluded.dueAt, attempts = 0, claimedUntil = NULL
                """, logger: logger)
        }
    }

    /// A renewal always fits; a new subscriber must fit its topic's and its host's limits,
    /// counting the subscriptions that are live and the requests waiting.
    private func checkRoom(for request: WebSubRequest, limits: WebSubLimits, at now: Date, on connection: PostgresConnection) async throws {
        let blog = request.blog.rawValue
        let counts = try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM websub_subscription WHERE blogId = \(blog) AND callback = \(request.callback) AND expiresAt > \(now)),
                (SELECT count(*) FROM websub_subscription WHERE blogId = \(blog) AND expiresAt > \(now))
                + (SELECT count(*) FROM websub_request r WHERE blogId = \(blog) AND r.mode = 'subscribe' AND r.callback <> \(request.callback)
                    AND NOT EXISTS (SELECT 1 FROM websub_subscription s WHERE s.blogId = r.blogId AND s.callback = r.callback)),
                (SELECT count(*) FROM websub_subscription WHERE callbackHost = \(request.callbackHost) AND expiresAt > \(now))
                + (SELECT count(*) FROM websub_request r WHERE callbackHost = \(request.callbackHost) AND r.mode = 'subscribe'
                    AND r.callback <> \(request.callback)
                    AND NOT EXISTS (SELECT 1 FROM websub_subscription s WHERE s.blogId = r.blogId AND s.callback = r.callback))
            """, logger: logger
        ).decode((Bool, Int, Int).self).firstElement()
        guard let counts, !counts.0 else { return }
        try WebSubLimits.check(topic: counts.1, host: counts.2, against: limits, host: request.callbackHost)
    }

    public func claimWebSubRequests(limit: Int, for duration: TimeInterval, at now: Date) async throws -> [WebSubPendingRequest] {
        try await client.query(
            """
            UPDATE websub_request SET claimedUntil = \(now.addingTimeInterval(duration))
            WHERE id IN (
                SELECT id FROM websub_request WHERE dueAt <= \(now) AND (claimedUntil IS NULL OR claimedUntil < \(now))
                ORDER BY dueAt, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id, mode, blogId, topic, callback, callbackHost, secret, leaseSeconds, attempts
            """, logger: logger
        ).decode((Int64, String, Int64, String, String, String, String?, Int, Int).self).all().map { row in
            guard let mode = WebSubMode(rawValue: row.1) else { throw FerryError.brokenInvariant("unknown WebSub mode \(row.1)") }
            return WebSubPendingRequest(
                id: row.0,
                request: WebSubRequest(
                    mode: mode, blog: BlogID(row.2), topic: row.3, callback: row.4, callbackHost: row.5, secret: row.6, leaseSeconds: row.7),
                attempts: row.8)
        }
    }

    public func finishWebSubRequest(_ pending: WebSubPendingRequest, verified: Bool, contentTag: String, at now: Date) async throws {
        let request = pending.request
        try await transaction { connection in
            try await connection.query("DELETE FROM websub_request WHERE id = \(pending.id)", logger: logger)
            guard verified else { return }
            switch request.mode {
            case .subscribe:
                // A new subscriber is at the topic's document: owed nothing until it changes.
                try await connection.query(
                    """
                    INSERT INTO websub_topic (blogId, contentTag, markedAt) VALUES (\(request.blog.rawValue), \(contentTag), \(now))
                    ON CONFLICT (blogId) DO NOTHING
                    """, logger: logger)
                try await connection.query(
                    """
                    INSERT INTO websub_subscription (blogId, callback, callbackHost, secret, expiresAt, contentTag)
                    VALUES (\(request.blog.rawValue), \(request.callback), \(request.callbackHost), \(request.secret),
                        \(now.addingTimeInterval(TimeInterval(request.leaseSeconds))),
                        (SELECT contentTag FROM websub_topic WHERE blogId = \(request.blog.rawValue)))
                    ON CONFLICT (blogId, callback) DO UPDATE SET secret = excluded.secret, expiresAt = excluded.expiresAt
                    """, logger: logger)
            case .unsubscribe:
                try await connection.query(
                    "DELETE FROM websub_subscription WHERE blogId = \(request.blog.rawValue) AND callback = \(request.callback)", logger: logger)
                try await dropTopicsWithoutSubscribers([request.blog.rawValue], on: connection)
            }
        }
    }

    public func retryWebSubRequest(_ pending: WebSubPendingRequest, at next: Date) async throws {
        try await client.query(
            "UPDATE websub_request SET dueAt = \(next), attempts = attempts + 1, claimedUntil = NULL WHERE id = \(pending.id)", logger: logger)
    }

    public func markWebSubTopicChanged(_ blog: BlogID, contentTag: String, at now: Date) async throws -> Bool {
        try await client.query(
            """
            UPDATE websub_topic SET contentTag = \(contentTag), markedAt = \(now), pending = true
            WHERE blogId = \(blog.rawValue) AND contentTag <> \(contentTag) RETURNING 1
            """, logger: logger
        ).decode(Int.self).firstElement() != nil
    }

    public func claimWebSubDeliveries(limit: Int, for duration: TimeInterval, at now: Date) async throws -> [WebSubDelivery] {
        try await transaction { connection in
            let ended = try await connection.query(
                "DELETE FROM websub_subscription WHERE expiresAt <= \(now) RETURNING blogId", logger: logger
            ).decode(Int64.self).all()
            try await dropTopicsWithoutSubscribers(ended, on: connection)
            // Every subscriber of a changed topic becomes due its document. The topics are
            // locked until the commit: a mark meanwhile waits, then leaves its topic pending.
            try await connection.query(
                """
                WITH topics AS (SELECT blogId, contentTag, markedAt FROM websub_topic WHERE pending FOR UPDATE SKIP LOCKED),
                due AS (
                    UPDATE websub_subscription s SET contentTag = t.contentTag, dueAt = \(now), markedAt = t.markedAt, attempts = 0
                    FROM topics t WHERE s.blogId = t.blogId AND s.contentTag <> t.contentTag)
                UPDATE websub_topic w SET pending = false FROM topics t WHERE w.blogId = t.blogId
                """, logger: logger)
        }
        return try await client.query(
            """
            UPDATE websub_subscription SET claimedUntil = \(now.addingTimeInterval(duration))
            WHERE id IN (
                SELECT id FROM websub_subscription WHERE dueAt <= \(now) AND (claimedUntil IS NULL OR claimedUntil < \(now))
                ORDER BY dueAt, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id, blogId, callback, secret, contentTag, attempts, expiresAt
            """, logger: logger
        ).decode((Int64, Int64, String, String?, String, Int, Date).self).all().map {
            WebSubDelivery(id: $0.0, blog: BlogID($0.1), callback: $0.2, secret: $0.3, contentTag: $0.4, attempts: $0.5, expiresAt: $0.6)
        }
    }

    public func finishWebSubDelivery(_ delivery: WebSubDelivery, _ outcome: WebSubDeliveryOutcome, at now: Date) async throws {
        switch outcome {
        case .delivered(let tag, let renderedAt):
            // As SQLite's `AppDatabase.deliveredSQL`.
            try await client.query(
                """
                UPDATE websub_subscription SET claimedUntil = NULL,
                    dueAt = CASE WHEN contentTag = \(tag) OR markedAt <= \(renderedAt) THEN NULL ELSE dueAt END,
                    attempts = CASE WHEN contentTag = \(tag) OR markedAt <= \(renderedAt) THEN 0 ELSE attempts END,
                    contentTag = CASE WHEN markedAt <= \(renderedAt) THEN \(tag) ELSE contentTag END
                WHERE id = \(delivery.id)
                """, logger: logger)
        case .retry(let next):
            try await client.query(
                """
                UPDATE websub_subscription SET claimedUntil = NULL,
                    dueAt = CASE WHEN contentTag = \(delivery.contentTag) THEN \(next) ELSE dueAt END,
                    attempts = CASE WHEN contentTag = \(delivery.contentTag) THEN attempts + 1 ELSE attempts END
                WHERE id = \(delivery.id)
                """, logger: logger)
        case .ended:
            try await transaction { connection in
                try await connection.query("DELETE FROM websub_subscription WHERE id = \(delivery.id)", logger: logger)
                try await dropTopicsWithoutSubscribers([delivery.blog.rawValue], on: connection)
            }
        }
    }

    /// Forgets the topics of `blogs` that have no subscriber left.
    private func dropTopicsWithoutSubscribers(_ blogs: [Int64], on connection: PostgresConnection) async throws {
        guard !blogs.isEmpty else { return }
        try await connection.query(
            """
            DELETE FROM websub_topic t WHERE t.blogId = ANY(\(Array(Set(blogs))))
                AND NOT EXISTS (SELECT 1 FROM websub_subscription s WHERE s.blogId = t.blogId)
            """, logger: logger)
    }

    public func nextWebSubWork(at now: Date) async throws -> Date? {
        try await client.query(
            """
            SELECT least(
                (SELECT min(greatest(dueAt, claimedUntil)) FROM websub_request),
                (SELECT min(greatest(dueAt, claimedUntil)) FROM websub_subscription WHERE dueAt IS NOT NULL),
                (SELECT min(markedAt) FROM websub_topic WHERE pending))
            """, logger: logger
        ).decode(Date?.self).firstElement() ?? nil
    }

    public func webSubSubscriptions(of blog: BlogID, at now: Date) async throws -> [WebSubSubscription] {
        try await client.query(
            """
            SELECT s.callback, s.expiresAt, CASE WHEN t.pending THEN t.contentTag ELSE s.contentTag END,
                s.dueAt IS NOT NULL OR coalesce(t.pending AND t.contentTag <> s.contentTag, false)
            FROM websub_subscription s LEFT JOIN websub_topic t ON t.blogId = s.blogId
            WHERE s.blogId = \(blog.rawValue) AND s.expiresAt > \(now) ORDER BY s.callback
            """, logger: logger
        ).decode((String, Date, String, Bool).self).all().map { WebSubSubscription(callback: $0.0, expiresAt: $0.1, contentTag: $0.2, isDue: $0.3) }
    }
}
