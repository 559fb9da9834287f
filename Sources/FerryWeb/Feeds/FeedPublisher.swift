import FerryCore
import FerryRender
import FerryStore
import Foundation
import Logging
import NIOCore
import Synchronization

/// Keeps the rendered feeds of public and hidden blogs: each change renders the subscription
/// document once, keeps its bytes in memory for requests and writes it atomically to
/// `feeds/{slug}.atom`. Private blogs are never cached here and never written to disk.
final class FeedPublisher: Sendable {
    let database: any Store
    let feed: BlogFeed
    let directory: URL
    let logger: Logger

    private struct State {
        var current: [String: RenderedDocument] = [:]
        var archives: [String: RenderedDocument] = [:]
        var slugs: [BlogID: String] = [:]
        /// Publishes started per blog, and the newest one whose result was kept: a render that
        /// finishes after a newer one is dropped, so the newest state always wins.
        var started: [BlogID: Int] = [:]
        var kept: [BlogID: Int] = [:]
    }

    private let state = Mutex(State())
    static let archiveLimit = 1_024

    init(database: any Store, feed: BlogFeed, directory: URL, logger: Logger) {
        self.database = database
        self.feed = feed
        self.directory = directory
        self.logger = logger
    }

    /// The rendered subscription document of the visible blog whose slug is exactly `slug`
    /// (as stored: lowercase), if it is rendered. Takes the raw path segment, so the common
    /// case costs one dictionary lookup; any other spelling goes the slow way.
    func current(_ slug: String) -> RenderedDocument? {
        state.withLock { $0.current[slug] }
    }

    /// Renders the blog's subscription document after a change to it (posts, comments,
    /// settings, its owner's name), replaces the file, and forgets its archive documents.
    @discardableResult
    func publish(_ blogID: BlogID) async throws -> RenderedDocument? {
        let generation = state.withLock { state in
            state.started[blogID, default: 0] += 1
            return state.started[blogID, default: 0]
        }
        guard let source = try await database.feedSource(for: blogID, limit: BlogFeed.entriesPerDocument, current: BlogFeed.currentMonth()) else {
            return nil
        }
        let slug = source.blog.slug.rawValue
        let file = feedFile(slug)
        guard source.blog.visibility != .private else {
            state.withLock { state in
                guard generation > state.kept[blogID, default: 0] else { return }
                state.kept[blogID] = generation
                forget(slug, in: &state)
            }
            return nil
        }
        let fresh = RenderedDocument.feed(
            xml: feed.subscription(source).render(), lastModified: Date(),
            noindex: source.blog.visibility == .hidden, cacheControl: "public, max-age=60", links: feed.discoveryLinks(source.blog.slug)
        )
        let temporary = directory.appendingPathComponent(".\(slug).\(UUID().uuidString).tmp")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(fresh.body.readableBytesView).write(to: temporary)
        return try state.withLock { state throws -> RenderedDocument in
            guard generation > state.kept[blogID, default: 0] else {
                try? FileManager.default.removeItem(at: temporary)
                return state.current[slug] ?? fresh
            }
            // rename(2) replaces the file atomically: a reader sees the old or the new document.
            guard rename(temporary.path, file.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
            }
            let current = fresh.keepingDate(of: state.current[slug])
            state.kept[blogID] = generation
            state.slugs[blogID] = slug
            state.current[slug] = current
            state.archives = state.archives.filter { !$0.key.hasPrefix(slug + "/") }
            return current
        }
    }

    /// Removes the file of every private blog's feed: a crash between a blog turning private
    /// and its file going may have left one for a static server to serve. Run at start-up.
    func removeFilesOfPrivateFeeds() async throws {
        for slug in try await database.privateBlogSlugs() {
            let file = feedFile(slug.rawValue)
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            try FileManager.default.removeItem(at: file)
            logger.notice("feed file of a private blog removed", metadata: ["ferry.blog.slug": "\(slug.rawValue)"])
        }
    }

    /// Publishes after a change without failing the request that made it: the change is
    /// committed either way. If rendering fails, the old document is dropped from memory and
    /// disk (the change may have made the blog private), and the next request renders again.
    @discardableResult
    func refresh(_ blogID: BlogID) async -> RenderedDocument? {
        do {
            return try await publish(blogID)
        } catch {
            logger.error("feed was not re-rendered", metadata: ["ferry.blog.id": "\(blogID)", "ferry.error": "\(error)"])
            state.withLock { state in
                if let slug = state.slugs[blogID] { forget(slug, in: &state) }
            }
            return nil
        }
    }

    /// The slug of a visible blog this publisher rendered.
    func slug(of blogID: BlogID) -> BlogSlug? {
        state.withLock { $0.slugs[blogID] }.map { BlogSlug(trusted: $0) }
    }

    /// The subscription document of a visible blog as a subscriber is due it: the one in memory
    /// when its tag is `tag` (or any, when `tag` is nil), or else rendered from the database now
    /// (another node may have changed the blog since). Nil when the blog is private or gone.
    func document(of blogID: BlogID, tagged tag: String?) async throws -> (slug: BlogSlug, feed: RenderedDocument, renderedAt: Date?)? {
        let kept = state.withLock { state -> (String, RenderedDocument)? in
            guard let slug = state.slugs[blogID], let current = state.current[slug] else { return nil }
            return (slug, current)
        }
        if let (slug, current) = kept, tag == nil || current.etag == tag { return (BlogSlug(trusted: slug), current, nil) }
        let start = Date()
        guard let fresh = try await publish(blogID), let slug = slug(of: blogID) else { return nil }
        return (slug, fresh, start)
    }

    /// Drops every rendered document of the blog at `slug` and its file.
    private func forget(_ slug: String, in state: inout State) {
        state.current[slug] = nil
        state.archives = state.archives.filter { !$0.key.hasPrefix(slug + "/") }
        try? FileManager.default.removeItem(at: feedFile(slug))
    }

    private func feedFile(_ slug: String) -> URL {
        directory.appendingPathComponent(SitePath.feedFileName(BlogSlug(trusted: slug)))
    }

    /// The archive document `part` of a closed month, rendered once per change of the blog
    /// (its bytes, and so its validators, change only with its own posts). Private blogs'
    /// archives are rendered for each (authorized) request and not kept. Nil for the current
    /// month, and past the month's last part.
    func archive(of blog: Blog, part: ArchivePart) async throws -> RenderedDocument? {
        guard BlogFeed.isArchived(part.month) else { return nil }
        let key = "\(blog.slug.rawValue)/\(part.key)"
        if blog.visibility != .private, let cached = state.withLock({ $0.archives[key] }) { return cached }
        let generation = state.withLock { $0.started[blog.id, default: 0] }
        guard let source = try await database.feedSource(for: blog.id, month: part.month, skipping: part.skipped, limit: BlogFeed.entriesPerArchive),
            !source.posts.isEmpty
        else { return nil }
        let rendered = RenderedDocument.feed(
            xml: feed.archive(source, part: part).render(), lastModified: BlogFeed.archiveUpdated(source),
            noindex: blog.visibility != .public, cacheControl: blog.visibility == .private ? "private, no-cache" : "public, max-age=3600"
        )
        guard blog.visibility != .private else { return rendered }
        return state.withLock { state in
            // A change that began while this rendered may have made it stale: serve, don't keep.
            guard state.started[blog.id, default: 0] == generation else { return rendered }
            // Archives are cheap to render again; a bound keeps memory flat across many blogs.
            if state.archives.count >= Self.archiveLimit, state.archives[key] == nil { state.archives.removeAll() }
            let kept = rendered.keepingDate(of: state.archives[key])
            state.archives[key] = kept
            return kept
        }
    }

    /// A private blog's subscription document, rendered for one authorized request.
    func privateSubscription(of blog: Blog) async throws -> RenderedDocument? {
        guard let source = try await database.feedSource(for: blog.id, limit: BlogFeed.entriesPerDocument, current: BlogFeed.currentMonth()) else {
            return nil
        }
        return RenderedDocument.feed(xml: feed.subscription(source).render(), lastModified: Date(), noindex: true, cacheControl: "private, no-cache")
    }
}
