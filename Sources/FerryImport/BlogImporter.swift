import FerryCore
import FerryRender
import FerryStore
import Foundation

/// The media an import has used so far: those stored, by hash, and those left at their old
/// address, by where they were to be read from (`MediaPlan.key`), with the address the owner
/// knows them by (never the path of a zip's file on this server).
struct UsedMedia {
    var moved: Set<String> = []
    var notMoved: [String: String] = [:]
}

/// Replies imported before the comment they answer, by the source id of that comment: they
/// are threaded under it when it arrives; those whose parent never comes stay on the post.
struct WaitingReplies {
    private struct Key: Hashable {
        var post: PostID
        var parentSourceID: String
    }

    private var waiting: [Key: [CommentID]] = [:]

    mutating func wait(_ reply: CommentID, for parentSourceID: String, on post: PostID) {
        waiting[Key(post: post, parentSourceID: parentSourceID), default: []].append(reply)
    }

    /// The replies waiting for the comment `sourceID` of `post`, which has just been imported.
    mutating func answered(_ sourceID: String, on post: PostID) -> [CommentID]? {
        guard !waiting.isEmpty else { return nil }
        return waiting.removeValue(forKey: Key(post: post, parentSourceID: sourceID))
    }
}

/// How far an import is: items read so far, and bytes of the export file read.
public struct ImportProgress: Sendable, Equatable {
    public var items: Int
    public var bytes: Int
}

/// Moves what an export holds into a blog: published posts and pages (pages at their own
/// addresses, outside the blog's feed), their tags and approved comments with threading, each
/// post's old addresses as redirects.
/// Content is sanitized like anything written in ferry. Source ids make it idempotent.
///
/// Two threads share the work: one reads the export and prepares each item (parsing,
/// sanitizing, checking names and addresses), the caller's thread writes what is prepared.
public struct BlogImporter: Sendable {
    /// The photos and videos already fetched and stored, by their address in the export.
    public var media: MediaPlan
    /// How the old roots the export's addresses lie under are claimed.
    public var claims: ClaimPolicy
    /// The largest post or comment kept, in bytes of sanitized HTML (as for posts written
    /// here); a larger one stays behind, counted in the report.
    public var maxHTMLBytes = 1 << 20
    /// Called on the writing thread now and then.
    public var progress: @Sendable (ImportProgress) -> Void

    public init(
        media: MediaPlan = MediaPlan(), claims: ClaimPolicy = ClaimPolicy(), progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) {
        self.media = media
        self.claims = claims
        self.progress = progress
    }

    /// The old feed addresses blog hosts used, relative to the old blog's root.
    static let oldFeedPaths = ["/feed", "/feed/atom", "/feed/rss", "/feed/rss2", "/rss", "/rss.xml", "/atom.xml", "/feed.rss", "/feeds/posts/default"]
    /// Items handed from the reading thread to the writing one at a time, and how many such
    /// chunks may wait: enough to keep both threads busy, few enough to keep memory flat.
    static let chunkSize = 64
    static let chunksWaiting = 8

    /// Imports the export at `path` (any format `ExportFormat` reads) into `batch`.
    public func run(path: String, into batch: any ImportBatch, now: Date = Date()) throws -> ImportReport {
        try run(path: path, in: SingleBatchStages(batch), now: now)
    }

    /// Imports the export at `path` in `stages`, `stages.itemsPerStage` items of the export
    /// at a time.
    public func run(path: String, in stages: any ImportStages, now: Date = Date()) throws -> ImportReport {
        let handOver = HandOver<PreparedChunk>(capacity: Self.chunksWaiting)
        return try handOver.run(
            produce: { handOver in
                var reader = try ExportFormat.reader(path: path)
                try prepare(&reader, into: handOver)
            },
            consume: { handOver in
                try write(handOver, in: stages, now: now)
            })
    }

    // MARK: Reading thread

    /// What the reading thread keeps while it reads.
    private struct ReadingState {
        let sanitizer = HTMLSanitizer.Session()
        var rootLink: String?
        var oldRoot: OldAddress?
        var attachments = AttachmentIndex()
    }

    private func prepare(_ reader: inout any ExportReader, into handOver: HandOver<PreparedChunk>) throws {
        var chunk = PreparedChunk()
        var state = ReadingState()
        // A gallery names attachments that WordPress may list after the post: such posts are
        // prepared once the whole export (and so every attachment) has been read.
        var galleries: [ExportedPost] = []
        while let item = try reader.next() {
            chunk.itemsRead += 1
            let prepared: PreparedItem
            switch item {
            case .channel(let channel):
                state.rootLink = channel.link
                state.oldRoot = channel.link.flatMap(OldAddress.init(url:))
                prepared = .channel(oldRoot: channel.link.flatMap(OldRoot.init(url:)), feeds: channel.feeds.compactMap(OldAddress.init(url:)))
            case .post(let post):
                if post.format == .wordpress, WordPressContent.hasGallery(post.content) {
                    galleries.append(post)
                    continue
                }
                prepared = prepareKept(post, state: state, tally: &chunk.shortcodes)
            case .comment(let comment, let postSourceID):
                prepared = .comment(prepare(comment, sanitizer: state.sanitizer), postSourceID: postSourceID)
            case .attachment(let attachment):
                state.attachments.add(attachment)
                prepared = .media(address: attachment.url, base: state.rootLink)
            case .leftBehind(let kind, let count):
                prepared = .leftBehind(kind: kind, count: count)
            }
            chunk.items.append(prepared)
            if chunk.items.count >= Self.chunkSize { guard handOn(&chunk, bytesRead: reader.bytesRead, handOver) else { return } }
        }
        for post in galleries {
            chunk.items.append(prepareKept(post, state: state, tally: &chunk.shortcodes))
            if chunk.items.count >= Self.chunkSize { guard handOn(&chunk, bytesRead: reader.bytesRead, handOver) else { return } }
        }
        chunk.bytesRead = reader.bytesRead
        _ = handOver.put(chunk)
    }

    /// Hands the full `chunk` over and starts the next; false when the writing thread has
    /// stopped taking.
    private func handOn(_ chunk: inout PreparedChunk, bytesRead: Int, _ handOver: HandOver<PreparedChunk>) -> Bool {
        chunk.bytesRead = bytesRead
        guard handOver.put(chunk) else { return false }
        chunk = PreparedChunk(itemsRead: chunk.itemsRead)
        return true
    }

    /// The post, or what stays behind of it when it is larger than `maxHTMLBytes`.
    private func prepareKept(_ exported: ExportedPost, state: ReadingState, tally: inout ShortcodeTally) -> PreparedItem {
        let post = prepare(exported, state: state, tally: &tally)
        return post.draft.content.utf8.count > maxHTMLBytes ? .leftBehind(kind: Self.tooLargePost, count: 1) : .post(post)
    }

    static let tooLargePost = "post too large"
    static let tooLargeComment = "comment too large"

    private func prepare(_ exported: ExportedPost, state: ReadingState, tally: inout ShortcodeTally) -> PreparedPost {
        let base = exported.link ?? state.rootLink
        let oldRoot = state.oldRoot
        let sanitizer = state.sanitizer
        let tags = Tags.imported(exported.tags)
        let title = Post.importedTitle(exported.title)
        var addresses: [String] = []
        let (html, rendering) = WordPressContent.html(of: exported, attachments: state.attachments)
        if let rendering { tally.add(rendering) }
        let content = sanitizer.sanitize(html) { address, reference in
            guard MediaKind.isMedium(address, reference) else { return nil }
            addresses.append(address)
            return media.media(for: address, base: base)?.path
        }
        var oldAddresses = [exported.link, exported.sourceID].compactMap { $0.flatMap(OldAddress.init(url:)) }
        if let root = oldRoot, let number = exported.numericID {
            oldAddresses.append(OldAddress(host: root.host, path: root.path + "/?p=\(number)"))
        }
        // WordPress's guid is usually the `?p=` form itself: each address is recorded once.
        var seen: Set<OldAddress> = []
        oldAddresses.removeAll { !seen.insert($0).inserted }
        let comments = exported.comments.map { prepare($0, sanitizer: sanitizer) }
        return PreparedPost(
            sourceID: exported.sourceID, kind: exported.kind, oldAddresses: oldAddresses,
            draft: PostDraft(title: title, content: content + enclosureHTML(exported.enclosures, base: base), tags: tags),
            publishedAt: exported.publishedAt.flatMap(UTCDate.storable), slugSource: exported.slugHint.flatMap(Self.decodedSlug) ?? title,
            mediaAddresses: addresses + exported.enclosures, base: base, comments: comments,
            newPostCommentCount: Self.newPostCommentCount(comments)
        )
    }

    private func prepare(_ comment: ExportedComment, sanitizer: HTMLSanitizer.Session) -> PreparedComment {
        let content = sanitizer.sanitize(comment.format == .wordpress ? WordPressParagraphs.apply(comment.content) : comment.content)
        let tooLarge = content.utf8.count > maxHTMLBytes
        return PreparedComment(
            sourceID: comment.sourceID, parentID: comment.parentID,
            authorName: Comment.importedName(comment.authorName),
            authorURL: comment.authorURL.flatMap { try? WebReference.validate($0, field: "authorURL") },
            content: tooLarge || content.trimmingWhiteSpace().isEmpty ? nil : content, publishedAt: comment.publishedAt.flatMap(UTCDate.storable),
            tooLarge: tooLarge
        )
    }

    /// An old slug as text: most have nothing percent-encoded, and decoding is costly.
    private static func decodedSlug(_ slug: String) -> String? {
        slug.utf8.contains(UInt8(ascii: "%")) ? slug.removingPercentEncoding : slug
    }

    /// Enclosures (a podcast's sound, a video blog's video) become part of the post once stored.
    private func enclosureHTML(_ enclosures: [String], base: String?) -> String {
        enclosures.compactMap { media.media(for: $0, base: base) }.map { stored in
            let source = MarkupEscaping.attribute(stored.path)
            if stored.isVideo { return "<p><video src=\"\(source)\" controls></video></p>" }
            if stored.contentType.hasPrefix("audio/") { return "<p><audio src=\"\(source)\" controls></audio></p>" }
            return "<p><img src=\"\(source)\" alt=\"\"></p>"
        }.joined()
    }

    // MARK: Writing thread

    private func write(_ handOver: HandOver<PreparedChunk>, in stages: any ImportStages, now: Date) throws -> ImportReport {
        var report = ImportReport()
        var replies = WaitingReplies()
        var shortcodes = ShortcodeTally()
        var used = UsedMedia()
        var roots = ClaimedRoots(policy: claims)
        var shown = 0
        var last = ImportProgress(items: 0, bytes: 0)
        while let chunk = try handOver.take() {
            let reached = ImportProgress(items: chunk.itemsRead, bytes: chunk.bytesRead)
            for start in stride(from: 0, to: chunk.items.count, by: stages.itemsPerStage) {
                try stages.stage { batch in
                    for item in chunk.items[start..<min(start + stages.itemsPerStage, chunk.items.count)] {
                        switch item {
                        case .channel(let oldRoot, let feeds):
                            roots.setExportRoot(oldRoot)
                            try recordBlogAddresses(oldRoot: oldRoot, feeds: feeds, batch: batch, roots: &roots)
                        case .post(let post):
                            try write(post, batch: batch, now: now, report: &report, used: &used, replies: &replies, roots: &roots)
                        case .comment(let comment, let postSourceID):
                            guard let post = try batch.postID(entryID: postSourceID) else {
                                report.leave("comment on a post that did not move")
                                continue
                            }
                            try write([comment], on: post, isNew: false, batch: batch, now: now, report: &report, replies: &replies)
                        case .media(let address, let base):
                            try useMedia(address, base: base, batch: batch, report: &report, used: &used)
                        case .leftBehind(let kind, let count):
                            report.leave(kind, count)
                        }
                    }
                    if reached.items - shown >= 1_000 { try batch.writeChangedPages() }
                }
            }
            shortcodes.merge(chunk.shortcodes)
            last = reached
            handOver.giveBack(consume chunk)
            if last.items - shown >= 1_000 {
                shown = last.items
                progress(last)
            }
        }
        progress(last)
        report.mediaFailures = used.notMoved.sorted { $0.value < $1.value }.map { key, address in
            MediaFailure(address: address, reason: media.failures[key] ?? "media were not fetched for this import")
        }
        report.mediaKeptAtOldAddress = report.mediaFailures.count
        report.warnings += shortcodes.warnings
        report.claims = roots.outcomes
        report.redirectsRefused = roots.refusedAddresses
        let summary = report.posts + report.pages + report.comments > 0 ? report.movedSummary : nil
        try stages.stage { batch in
            if let summary { try batch.recordMigration(summary: summary) }
        }
        report.redirects = try stages.redirectsAdded()
        return report
    }

    /// Counts a stored photo, video or sound once and lets the blog's readers fetch it; a
    /// medium that was not stored keeps its old address, and is listed once.
    private func useMedia(
        _ address: String, base: String?, in post: PostID? = nil, batch: any ImportBatch, report: inout ImportReport, used: inout UsedMedia
    ) throws {
        guard let stored = media.media(for: address, base: base) else {
            let key = media.key(address, base: base)
            if used.notMoved[key] == nil { used.notMoved[key] = media.packagedPath(of: key) == nil ? key : address }
            return
        }
        try batch.use(stored, in: post)
        guard used.moved.insert(stored.hash).inserted else { return }
        if stored.isVideo {
            report.videos += 1
        } else if stored.contentType.hasPrefix("audio/") {
            report.sounds += 1
        } else {
            report.photos += 1
        }
    }

    /// The old blog's root and its feed addresses lead to the new blog and its feed.
    private func recordBlogAddresses(oldRoot: OldRoot?, feeds: [OldAddress], batch: any ImportBatch, roots: inout ClaimedRoots) throws {
        guard let root = oldRoot else { return }
        let slug = batch.addressSlug
        let home = OldAddress(host: root.host, path: root.path)
        if try roots.mayRecord(home, batch: batch) { try batch.addRedirect(from: home, to: SitePath.blogHome(slug)) }
        for address in Self.oldFeedPaths.map({ OldAddress(host: root.host, path: root.path + $0) }) {
            if try roots.mayRecord(address, batch: batch) { try batch.addRedirect(from: address, to: SitePath.feed(slug)) }
        }
        for address in feeds where try roots.mayRecord(address, feed: true, batch: batch) {
            try batch.addRedirect(from: address, to: SitePath.feed(slug))
        }
    }

    private func write(
        _ prepared: PreparedPost, batch: any ImportBatch, now: Date, report: inout ImportReport, used: inout UsedMedia,
        replies: inout WaitingReplies, roots: inout ClaimedRoots
    ) throws {
        let post: Post
        let isNew: Bool
        if let inserted = try batch.insertPost(
            prepared.draft, entryID: prepared.sourceID, publishedAt: prepared.publishedAt ?? now, slugSource: prepared.slugSource,
            commentCount: prepared.newPostCommentCount, kind: prepared.kind == .page ? .page : .post
        ) {
            post = inserted
            isNew = true
            if prepared.publishedAt == nil { report.warnings.append("'\(prepared.draft.title)' had no date; it is dated at the import") }
            for address in prepared.mediaAddresses {
                try useMedia(address, base: prepared.base, in: post.id, batch: batch, report: &report, used: &used)
            }
            if prepared.kind == .page { report.pages += 1 } else { report.posts += 1 }
        } else if let existing = try batch.post(entryID: prepared.sourceID) {
            post = existing
            isNew = false
            report.alreadyPresent += 1
        } else {
            throw FerryError.unreadableExport("the post '\(prepared.draft.title)' could neither be added nor found")
        }
        let target = Permalink.path(blog: batch.addressSlug, post: post)
        for address in prepared.oldAddresses where try roots.mayRecord(address, batch: batch) {
            try batch.addRedirect(from: address, to: target, post: post.id)
        }
        try write(prepared.comments, on: post.id, isNew: isNew, batch: batch, now: now, report: &report, replies: &replies)
    }

    /// How many of a new post's comments `write(_:on:…)` will insert: each source id once, and
    /// only those with something left after sanitizing. The post is inserted with this count,
    /// so it is not updated once per post afterwards; worked out on the reading thread.
    private static func newPostCommentCount(_ comments: [PreparedComment]) -> Int {
        var seen: Set<String> = []
        return comments.filter { $0.content != nil && seen.insert($0.sourceID).inserted }.count
    }

    /// Comments in export order; a reply's parent is found among those imported before, and a
    /// reply listed before its parent (Blogger lists the newest first) waits in `replies` for
    /// it. A post inserted just now has no comments yet, so its comments need no lookups.
    private func write(
        _ comments: [PreparedComment], on post: PostID, isNew: Bool, batch: any ImportBatch, now: Date, report: inout ImportReport,
        replies: inout WaitingReplies
    ) throws {
        var inserted: [String: CommentID] = [:]
        for comment in comments {
            if try inserted[comment.sourceID] != nil || (!isNew && batch.comment(sourceID: comment.sourceID, on: post) != nil) {
                report.alreadyPresent += 1
                continue
            }
            guard let content = comment.content else {
                report.leave(comment.tooLarge ? Self.tooLargeComment : "empty comment")
                continue
            }
            let parent = try comment.parentID.flatMap { id in try inserted[id] ?? (isNew ? nil : batch.comment(sourceID: id, on: post)) }
            let id = try batch.insertComment(
                on: post, sourceID: comment.sourceID, parent: parent, authorName: comment.authorName, authorURL: comment.authorURL,
                content: content, at: comment.publishedAt ?? now
            )
            inserted[comment.sourceID] = id
            if let parentID = comment.parentID, parent == nil { replies.wait(id, for: parentID, on: post) }
            if let waiting = replies.answered(comment.sourceID, on: post) { try batch.setParent(id, of: waiting) }
            report.comments += 1
        }
        if !isNew, !inserted.isEmpty { try batch.countImportedComments(inserted.count, on: post) }
    }
}
