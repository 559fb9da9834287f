import FerryCore
import FerryRender
import FerryStore
import Foundation

/// What an import did, for its owner: what moved, what stayed behind (by kind) and why.
public struct ImportReport: Sendable, Codable, Equatable {
    public var posts = 0
    public var pages = 0
    public var comments = 0
    /// Items already imported by an earlier run of the same (or an overlapping) export.
    public var alreadyPresent = 0
    public var photos = 0
    public var videos = 0
    /// Media that could not be fetched: the posts keep their old addresses (see `warnings`).
    public var mediaKeptAtOldAddress = 0
    public var redirects = 0
    public var leftBehind: [String: Int] = [:]
    public var warnings: [String] = []

    public init() {}

    mutating func leave(_ kind: String, _ count: Int = 1) {
        leftBehind[kind, default: 0] += count
    }
}

/// Moves what an export holds into a blog: published posts and pages (pages tagged `page`),
/// their tags and approved comments with threading, each post's old addresses as redirects.
/// Content is sanitized like anything written in ferry. Source ids make it idempotent.
public struct BlogImporter {
    public let sanitizer: HTMLSanitizer
    /// The photos and videos already fetched and stored, by their address in the export.
    public var media: MediaPlan
    /// Called with the number of items read so far, now and then.
    public var progress: (Int) -> Void

    public init(sanitizer: HTMLSanitizer = HTMLSanitizer(), media: MediaPlan = MediaPlan(), progress: @escaping (Int) -> Void = { _ in }) {
        self.sanitizer = sanitizer
        self.media = media
        self.progress = progress
    }

    /// The old feed addresses blog hosts used, relative to the old blog's root.
    static let oldFeedPaths = ["/feed", "/feed/atom", "/feed/rss", "/feed/rss2", "/rss", "/rss.xml", "/atom.xml", "/feed.rss", "/feeds/posts/default"]

    public func run(_ reader: inout some ExportReader, into batch: ImportBatch, now: Date = Date()) throws -> ImportReport {
        var report = ImportReport()
        var oldRoot: OldAddress?
        var rootLink: String?
        var used: Set<String> = []
        var read = 0
        while let item = try reader.next() {
            read += 1
            if read % 1_000 == 0 { progress(read) }
            switch item {
            case .channel(let channel):
                rootLink = channel.link
                oldRoot = try recordBlogAddresses(channel, batch: batch, report: &report)
            case .post(let exported):
                try importPost(exported, oldRoot: oldRoot, base: exported.link ?? rootLink, batch: batch, now: now, report: &report, used: &used)
            case .comment(let comment, let postSourceID):
                guard let post = try batch.post(entryID: postSourceID) else {
                    report.leave("comment on a post that did not move")
                    continue
                }
                try importComments([comment], on: post.id, batch: batch, now: now, report: &report)
            case .attachment(let attachment):
                try useMedia(attachment.url, base: rootLink, batch: batch, report: &report, used: &used)
            case .leftBehind(let kind, let count):
                report.leave(kind, count)
            }
        }
        progress(read)
        for (address, reason) in media.failures.sorted(by: { $0.key < $1.key }) {
            report.warnings.append("kept the old address of \(address): \(reason)")
        }
        return report
    }

    /// Counts a stored photo or video once and lets the blog's readers fetch it; a medium that
    /// was not stored keeps its old address.
    private func useMedia(_ address: String, base: String?, batch: ImportBatch, report: inout ImportReport, used: inout Set<String>) throws {
        guard let stored = media.media(for: address, base: base) else {
            report.mediaKeptAtOldAddress += 1
            return
        }
        try batch.use(stored)
        guard used.insert(stored.hash).inserted else { return }
        if stored.isVideo { report.videos += 1 } else { report.photos += 1 }
    }

    /// The old blog's root and its feed addresses lead to the new blog and its feed.
    private func recordBlogAddresses(_ channel: ExportChannel, batch: ImportBatch, report: inout ImportReport) throws -> OldAddress? {
        guard let link = channel.link, let root = OldAddress(url: link) else { return nil }
        let slug = batch.blog.slug.rawValue
        if try batch.addRedirect(from: root, to: "/\(slug)/") { report.redirects += 1 }
        let named = channel.feeds.compactMap(OldAddress.init(url:))
        for address in Self.oldFeedPaths.map({ OldAddress(host: root.host, path: root.path + $0) }) + named
        where try batch.addRedirect(from: address, to: "/\(slug)/feed.atom") {
            report.redirects += 1
        }
        return root
    }

    private func importPost(
        _ exported: ExportedPost, oldRoot: OldAddress?, base: String?, batch: ImportBatch, now: Date,
        report: inout ImportReport, used: inout Set<String>
    ) throws {
        let post: Post
        if let existing = try batch.post(entryID: exported.sourceID) {
            report.alreadyPresent += 1
            post = existing
        } else {
            var tags = Tags.imported(exported.tags)
            if exported.kind == .page, !tags.contains(where: { $0.lowercased() == "page" }) { tags.append("page") }
            let title = Post.importedTitle(exported.title)
            if exported.publishedAt == nil { report.warnings.append("'\(title)' had no date; it is dated at the import") }
            var addresses: [String] = []
            let content = sanitizer.sanitize(exported.content) { address in
                addresses.append(address)
                return media.media(for: address, base: base)?.path
            }
            for address in addresses + exported.enclosures {
                try useMedia(address, base: base, batch: batch, report: &report, used: &used)
            }
            post = try batch.insertPost(
                PostDraft(title: title, content: content + enclosureHTML(exported.enclosures, base: base), tags: tags),
                entryID: exported.sourceID, publishedAt: exported.publishedAt ?? now,
                slugSource: exported.slugHint?.removingPercentEncoding ?? title
            )
            if exported.kind == .page { report.pages += 1 } else { report.posts += 1 }
        }
        let target = Permalink.path(blog: batch.blog.slug, post: post)
        var addresses = [exported.link, exported.sourceID].compactMap { $0.flatMap(OldAddress.init(url:)) }
        if let root = oldRoot, let number = exported.numericID {
            addresses.append(OldAddress(host: root.host, path: root.path + "/?p=\(number)"))
        }
        for address in addresses where try batch.addRedirect(from: address, to: target, post: post.id) {
            report.redirects += 1
        }
        try importComments(exported.comments, on: post.id, batch: batch, now: now, report: &report)
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

    /// Comments in export order; a reply's parent is found among those imported before.
    private func importComments(_ comments: [ExportedComment], on post: PostID, batch: ImportBatch, now: Date, report: inout ImportReport) throws {
        for comment in comments {
            if try batch.comment(sourceID: comment.sourceID, on: post) != nil {
                report.alreadyPresent += 1
                continue
            }
            let content = sanitizer.sanitize(comment.content)
            guard !content.trimmingWhiteSpace().isEmpty else {
                report.leave("empty comment")
                continue
            }
            let parent = try comment.parentID.flatMap { try batch.comment(sourceID: $0, on: post) }
            _ = try batch.insertComment(
                on: post, sourceID: comment.sourceID, parent: parent,
                authorName: Comment.importedName(comment.authorName),
                authorURL: comment.authorURL.flatMap { try? WebReference.validate($0, field: "authorURL") },
                content: content, at: comment.publishedAt ?? now
            )
            report.comments += 1
        }
    }
}
