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
    /// Media files the export lists; moving them is not built yet, so they keep their old URLs.
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
    /// Called with the number of items read so far, now and then.
    public var progress: (Int) -> Void

    public init(sanitizer: HTMLSanitizer = HTMLSanitizer(), progress: @escaping (Int) -> Void = { _ in }) {
        self.sanitizer = sanitizer
        self.progress = progress
    }

    /// The old feed addresses blog hosts used, relative to the old blog's root.
    static let oldFeedPaths = ["/feed", "/feed/atom", "/feed/rss", "/feed/rss2", "/rss", "/rss.xml", "/atom.xml", "/feed.rss", "/feeds/posts/default"]

    public func run(_ reader: inout some ExportReader, into batch: ImportBatch, now: Date = Date()) throws -> ImportReport {
        var report = ImportReport()
        var oldRoot: OldAddress?
        var read = 0
        while let item = try reader.next() {
            read += 1
            if read % 1_000 == 0 { progress(read) }
            switch item {
            case .channel(let channel):
                oldRoot = try recordBlogAddresses(channel, batch: batch, report: &report)
            case .post(let exported):
                try importPost(exported, oldRoot: oldRoot, batch: batch, now: now, report: &report)
            case .comment(let comment, let postSourceID):
                guard let post = try batch.post(entryID: postSourceID) else {
                    report.leave("comment on a post that did not move")
                    continue
                }
                try importComments([comment], on: post.id, batch: batch, now: now, report: &report)
            case .attachment:
                report.mediaKeptAtOldAddress += 1
            case .leftBehind(let kind, let count):
                report.leave(kind, count)
            }
        }
        progress(read)
        return report
    }

    /// The old blog's root and its feed addresses lead to the new blog and its feed.
    private func recordBlogAddresses(_ channel: ExportChannel, batch: ImportBatch, report: inout ImportReport) throws -> OldAddress? {
        guard let link = channel.link, let root = OldAddress(url: link) else { return nil }
        let slug = batch.blog.slug.rawValue
        if try batch.addRedirect(from: root, to: "/\(slug)/") { report.redirects += 1 }
        for path in Self.oldFeedPaths where try batch.addRedirect(from: OldAddress(host: root.host, path: root.path + path), to: "/\(slug)/feed.atom") {
            report.redirects += 1
        }
        return root
    }

    private func importPost(_ exported: ExportedPost, oldRoot: OldAddress?, batch: ImportBatch, now: Date, report: inout ImportReport) throws {
        let post: Post
        if let existing = try batch.post(entryID: exported.sourceID) {
            report.alreadyPresent += 1
            post = existing
        } else {
            var tags = Tags.imported(exported.tags)
            if exported.kind == .page, !tags.contains(where: { $0.lowercased() == "page" }) { tags.append("page") }
            let title = Post.importedTitle(exported.title)
            if exported.publishedAt == nil { report.warnings.append("'\(title)' had no date; it is dated at the import") }
            post = try batch.insertPost(
                PostDraft(title: title, content: sanitizer.sanitize(exported.content), tags: tags),
                entryID: exported.sourceID, publishedAt: exported.publishedAt ?? now,
                slugSource: exported.slugHint?.removingPercentEncoding ?? title
            )
            if exported.kind == .page { report.pages += 1 } else { report.posts += 1 }
        }
        report.mediaKeptAtOldAddress += exported.enclosures.count
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
