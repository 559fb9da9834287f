import FerryCore
import FerryRender
import FerryStore
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO

/// The writes of one import on PostgreSQL. Rows are held and sent many at a time — posts and
/// comments with `COPY`, old addresses, media uses and comment counts as one statement over
/// arrays each — so an import costs a round trip per few hundred rows, not one per row. What
/// the database would otherwise decide row by row is known here first:
/// - ids come from the tables' own sequences, a few hundred at a time;
/// - the blog's entry ids and slugs are read once, when first needed, and kept up to date, so
///   an item imported before is skipped and a slug numbered without asking.
///
/// The blog is locked for the import's transaction, or new, or a staging blog no one else
/// writes to, so no other writer takes a slug or an entry id meanwhile.
final class PostgresImportBatch: ImportBatch {
    let blog: Blog
    let addressSlug: BlogSlug
    private let connection: BlockingConnection
    private let store: PostgresStore
    private var known = KnownPosts()
    private var knownRead = false
    private var postIDs = SequenceIDs(table: "post")
    private var commentIDs = SequenceIDs(table: "comment")
    private var posts = CopyRows()
    private var comments = CopyRows()
    /// The comments in `comments`, by post and source id, for `comment(sourceID:on:)`.
    private var heldComments: [HeldComment: CommentID] = [:]
    private var countedComments: [Int64: Int] = [:]
    private var redirects = RedirectRows()
    private var mediaUses: (hashes: [String], posts: [Int64]) = ([], [])
    /// New old addresses recorded so far (those already present are not counted), by writes
    /// that may still be running.
    private let redirectsRecorded = NIOLockedValueBox(0)
    /// Claims on old roots this batch made (not those found), so a failed import can withdraw them.
    private(set) var claimsMade: [Int64] = []

    /// Rows of one kind are sent once they hold this many bytes (or, for arrays, entries).
    private static let bytesHeld = 1 << 20
    private static let entriesHeld = 2_000

    init(connection: BlockingConnection, store: PostgresStore, blog: Blog, addressSlug: BlogSlug? = nil) {
        self.connection = connection
        self.store = store
        self.blog = blog
        self.addressSlug = addressSlug ?? blog.slug
    }

    func post(entryID: String) throws -> Post? {
        guard let id = try postID(entryID: entryID) else { return nil }
        try sendPosts()
        let store = store
        let blog = blog
        return try connection.run { connection, _ in try await store.post(id, in: blog, on: connection) }
    }

    func postID(entryID: String) throws -> PostID? {
        try readKnownPosts()
        return known.entries[entryID]
    }

    func insertPost(_ draft: PostDraft, entryID: String, publishedAt: Date, slugSource: String, commentCount: Int, kind: PostKind) throws -> Post? {
        try readKnownPosts()
        guard known.entries[entryID] == nil else { return nil }
        let month = PostMonth(containing: publishedAt)
        let slug = known.freeSlug(PostSlug(title: slugSource), month: month, page: kind == .page)
        let id = PostID(try postIDs.next(on: connection.beside()))
        known.add(entryID: entryID, id: id, monthKey: month.key, slug: slug.rawValue, page: kind == .page)
        let day = CivilDay(containing: publishedAt)
        posts.add(id.rawValue)
        posts.add(blog.id.rawValue)
        posts.add(entryID)
        posts.add(month.key)
        posts.add(slug.rawValue)
        posts.add(draft.title)
        posts.add(draft.content)
        posts.add(JSONText.array(draft.tags))
        posts.add(day)
        posts.add(day)
        posts.add(Int64(commentCount))
        posts.add(kind.rawValue)
        posts.endRow()
        if posts.buffer.readableBytes >= Self.bytesHeld { try sendPosts() }
        return Post(
            id: id, blogID: blog.id, entryID: entryID, month: month, slug: slug, title: draft.title, content: draft.content,
            tags: draft.tags, publishedAt: publishedAt, updatedAt: publishedAt, commentCount: commentCount, kind: kind)
    }

    func comment(sourceID: String, on post: PostID) throws -> CommentID? {
        if let held = heldComments[HeldComment(post: post, sourceID: sourceID)] { return held }
        return try connection.run { connection, logger in
            try await connection.query(
                "SELECT id FROM comment WHERE postId = \(post.rawValue) AND sourceId = \(sourceID)", logger: logger
            ).decode(Int64.self).firstElement().map(CommentID.init)
        }
    }

    func insertComment(
        on post: PostID, sourceID: String, parent: CommentID?, authorName: String, authorURL: String?, content: String, at date: Date
    ) throws -> CommentID {
        let id = CommentID(try commentIDs.next(on: connection.beside()))
        comments.add(id.rawValue)
        comments.add(post.rawValue)
        comments.add(authorName)
        comments.add(authorURL)
        comments.add(content)
        comments.add(CivilDay(containing: date))
        comments.add(sourceID)
        comments.add(parent?.rawValue)
        comments.endRow()
        heldComments[HeldComment(post: post, sourceID: sourceID)] = id
        if comments.buffer.readableBytes >= Self.bytesHeld { try sendComments() }
        return id
    }

    func setParent(_ parent: CommentID, of replies: [CommentID]) throws {
        try sendComments()
        let ids = replies.map(\.rawValue)
        try connection.run { connection, logger in
            try await connection.query("UPDATE comment SET parentId = \(parent.rawValue) WHERE id = ANY(\(ids))", logger: logger)
        }
    }

    func countImportedComments(_ count: Int, on post: PostID) throws {
        countedComments[post.rawValue, default: 0] += count
    }

    func recordMigration(summary: String, at now: Date) throws {
        let store = store
        let blog = blog
        try connection.run { connection, _ in
            try await store.recordActivity(.migrate, blog: blog, post: nil, summary: summary, at: now, on: connection)
        }
    }

    func addRedirect(from address: OldAddress, to target: String, post: PostID?) throws {
        redirects.add(address, target: target, post: post)
        if redirects.count >= Self.entriesHeld { try sendRedirects() }
    }

    func redirectsAdded() throws -> Int {
        try sendRedirects()
        try connection.waitForStarted()
        return redirectsRecorded.withLockedValue { $0 }
    }

    func claim(_ root: OldRoot, trusted: Bool) throws -> OldRootClaim? {
        let store = store
        let owner = blog.ownerID
        let (claim, made) = try connection.run { connection, _ in
            try await store.claim(root, for: owner, trusted: trusted, on: connection)
        }
        if made, let claim { claimsMade.append(claim.id) }
        return claim
    }

    func use(_ media: StoredMedia, in post: PostID?) throws {
        mediaUses.hashes.append(media.hash)
        mediaUses.posts.append(post?.rawValue ?? MediaLibrary.libraryUse)
        if mediaUses.hashes.count >= Self.entriesHeld { try sendMediaUses() }
    }

    func writeChangedPages() throws {
        try send()
    }

    func completeMigration(_ lease: MigrationLease, report: Data, at now: Date) throws {
        let report = String(decoding: report, as: UTF8.self)
        let completed = try connection.run { connection, logger in
            try await connection.query(
                """
                UPDATE migration SET status = 'done', report = \(report), updatedAt = \(now), leaseHolder = NULL
                WHERE id = \(lease.id) AND leaseHolder = \(lease.holder) AND status = 'running' RETURNING 1
                """, logger: logger
            ).decode(Int.self).firstElement()
        }
        guard completed != nil else { throw MigrationLeaseLost(id: lease.id) }
    }

    /// Sends everything held, posts first: comments refer to them. PostgreSQL may still be
    /// storing it when this returns; the next statement waits for it.
    func send() throws {
        try sendPosts()
        try sendComments()
        try sendCommentCounts()
        try sendRedirects()
        try sendMediaUses()
    }

    // MARK: Sending

    private func readKnownPosts() throws {
        guard !knownRead else { return }
        let blog = blog.id.rawValue
        let rows = try connection.run { connection, logger in
            try await connection.query("SELECT id, entryId, month, slug, kind FROM post WHERE blogId = \(blog)", logger: logger)
                .decode((Int64, String, String, String, String).self).all()
        }
        for (id, entryID, month, slug, kind) in rows {
            known.add(entryID: entryID, id: PostID(id), monthKey: month, slug: slug, page: kind == PostKind.page.rawValue)
        }
        knownRead = true
    }

    private func sendPosts() throws {
        guard !posts.isEmpty else { return }
        try copy(posts, into: "post", columns: Self.postColumns)
        posts.removeAll()
    }

    private func sendComments() throws {
        guard !comments.isEmpty else { return }
        try sendPosts()
        try copy(comments, into: "comment", columns: Self.commentColumns)
        comments.removeAll()
        heldComments.removeAll(keepingCapacity: true)
    }

    private func sendCommentCounts() throws {
        guard !countedComments.isEmpty else { return }
        let ids = Array(countedComments.keys)
        let counts = ids.map { countedComments[$0] ?? 0 }
        try connection.start { connection, logger in
            try await connection.query(
                """
                UPDATE post SET commentCount = post.commentCount + added.count, commentsChangedAt = clock_timestamp()
                FROM unnest(\(ids)::bigint[], \(counts)::bigint[]) AS added (id, count) WHERE post.id = added.id
                """, logger: logger)
        }
        countedComments.removeAll()
    }

    private func sendRedirects() throws {
        guard redirects.count > 0 else { return }
        let rows = redirects
        let blog = blog.id.rawValue
        let recorded = redirectsRecorded
        try connection.start { connection, logger in
            let added =
                try await connection.query(
                    """
                    WITH added AS (
                        INSERT INTO redirect (host, path, blogId, postId, target)
                        SELECT host, path, \(blog), NULLIF(postId, 0), target
                        FROM unnest(\(rows.hosts)::text[], \(rows.paths)::text[], \(rows.posts)::bigint[], \(rows.targets)::text[])
                            AS address (host, path, postId, target)
                        ON CONFLICT DO NOTHING RETURNING 1)
                    SELECT count(*) FROM added
                    """, logger: logger
                ).decode(Int.self).firstElement() ?? 0
            recorded.withLockedValue { $0 += added }
        }
        redirects = RedirectRows()
    }

    private func sendMediaUses() throws {
        guard !mediaUses.hashes.isEmpty else { return }
        let uses = mediaUses
        let blog = blog.id.rawValue
        try connection.start { connection, logger in
            try await connection.query(
                """
                INSERT INTO media_use (hash, blogId, postId)
                SELECT hash, \(blog), postId FROM unnest(\(uses.hashes)::text[], \(uses.posts)::bigint[]) AS used (hash, postId)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        mediaUses = ([], [])
    }

    /// Sends `rows` without waiting for PostgreSQL to store them: the import reads on meanwhile,
    /// and its next statement waits for them (see `BlockingConnection.start`).
    private func copy(_ rows: CopyRows, into table: String, columns: [String]) throws {
        let buffer = rows.buffer
        try connection.start { connection, logger in
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in try await writer.write(buffer) }
        }
    }

    private static let postColumns = [
        "id", "blogid", "entryid", "month", "slug", "title", "content", "tags", "publishedat", "updatedat", "commentcount", "kind",
    ]
    private static let commentColumns = ["id", "postid", "authorname", "authorurl", "content", "createdat", "sourceid", "parentid"]
}

/// The entry ids and slugs a blog has, so an import decides without asking the database
/// which items it has already and which slug a post gets — by the rules of `PostInserter`.
private struct KnownPosts {
    private(set) var entries: [String: PostID] = [:]
    /// Month key and slug, of every post.
    private var slugs: Set<String> = []
    private var pageSlugs: Set<String> = []

    mutating func add(entryID: String, id: PostID, monthKey: String, slug: String, page: Bool) {
        entries[entryID] = id
        slugs.insert(monthKey + " " + slug)
        if page { pageSlugs.insert(slug) }
    }

    /// `base` if its month has no post of that slug (and, for a page, no page has it), else
    /// the first of `base-2`, `base-3`, … that is free.
    func freeSlug(_ base: PostSlug, month: PostMonth, page: Bool) -> PostSlug {
        func isFree(_ slug: PostSlug) -> Bool {
            !slugs.contains(month.key + " " + slug.rawValue) && !(page && pageSlugs.contains(slug.rawValue))
        }
        guard !isFree(base) else { return base }
        var number = 2
        while !isFree(base.numbered(number)) { number += 1 }
        return base.numbered(number)
    }
}

/// A comment held for sending, by the post it is on and its source id.
private struct HeldComment: Hashable {
    var post: PostID
    var sourceID: String
}

/// Old addresses held for sending, column by column (post 0 for none).
private struct RedirectRows: Sendable {
    var hosts: [String] = []
    var paths: [String] = []
    var posts: [Int64] = []
    var targets: [String] = []

    var count: Int { hosts.count }

    mutating func add(_ address: OldAddress, target: String, post: PostID?) {
        hosts.append(address.host)
        paths.append(address.path)
        posts.append(post?.rawValue ?? 0)
        targets.append(target)
    }
}

/// Ids for new rows, taken from a table's identity sequence many at a time (on a connection
/// beside the import's, so as not to wait behind its writes): every node takes its own, so
/// they never collide. A few at first, twice as many each time after, so a small import
/// wastes few and a large one seldom asks.
private struct SequenceIDs {
    let table: String
    private var take = 256
    private var waiting: [Int64] = []

    static let mostTaken = 32_768

    init(table: String) {
        self.table = table
    }

    mutating func next(on connection: BlockingConnection) throws -> Int64 {
        if waiting.isEmpty {
            // The sequence is looked up once (`OFFSET 0` keeps the planner from doing it for every
            // row, which made this seven times dearer).
            let (table, count) = (table, take)
            waiting = try connection.run { connection, logger in
                try await connection.query(
                    """
                    SELECT nextval(s.sequence) FROM (SELECT pg_get_serial_sequence(\(table), 'id')::regclass AS sequence OFFSET 0) AS s,
                        generate_series(1, \(count)) ORDER BY 1 DESC
                    """, logger: logger
                ).decode(Int64.self).all()
            }
            take = min(2 * take, Self.mostTaken)
        }
        guard let id = waiting.popLast() else { throw FerryError.brokenInvariant("the sequence of '\(table)' gave no ids") }
        return id
    }
}
