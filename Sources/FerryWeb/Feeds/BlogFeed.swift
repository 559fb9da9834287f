import FerryCore
import FerryRender
import FerryStore
import Foundation

/// How a blog's posts become Atom documents: the subscription document with the newest posts
/// (and every post of the month still growing), and one RFC 5005 archive document per closed
/// month that has posts. An archive never changes but for an edit or deletion of one of its
/// own posts: it names no later month and no blog-wide date, and the current month has none.
struct BlogFeed: Sendable {
    let site: SiteAddress
    /// A hosted WebSub hub named beside ferry's own.
    var externalHub: String?

    static let entriesPerDocument = 20
    /// Entries of one archive document: a month with more has its archive in parts, so any
    /// month is served in bounded memory.
    static let entriesPerArchive = 200

    /// The month still growing: it belongs to the subscription document until it closes.
    static func currentMonth(at now: Date = Date()) -> PostMonth {
        PostMonth(containing: now)
    }

    /// Whether `month` is closed, and so has an archive document.
    static func isArchived(_ month: PostMonth, at now: Date = Date()) -> Bool {
        month < currentMonth(at: now)
    }

    /// The subscription document. When older posts exist than it holds, it links
    /// `prev-archive` to the newest closed month among them; that archive and the ones before
    /// it hold the rest.
    func subscription(_ source: FeedSource, at now: Date = Date()) -> AtomDocument {
        var links = commonLinks(source.blog, self: SitePath.feed(source.blog.slug))
        if source.blog.visibility != .private {
            links += hubs.map { AtomLink(rel: "hub", href: $0) }
        }
        if source.posts.count >= Self.entriesPerDocument, let oldest = source.posts.last,
            let archive = source.months.last(where: { $0 <= oldest.month && Self.isArchived($0, at: now) })
        {
            links.append(AtomLink(rel: "prev-archive", href: absolute(SitePath.archiveFeed(source.blog.slug, ArchivePart(month: archive)))))
        }
        return document(source, links: links, isArchive: false)
    }

    /// The archive document `part` of a closed month, linking the part with the month's older
    /// posts (or else the month before) and the subscription document.
    func archive(_ source: FeedSource, part: ArchivePart) -> AtomDocument {
        let slug = source.blog.slug
        var links = commonLinks(source.blog, self: SitePath.archiveFeed(slug, part))
        links.append(AtomLink(rel: "current", href: absolute(SitePath.feed(slug))))
        if source.monthContinues {
            links.append(AtomLink(rel: "prev-archive", href: absolute(SitePath.archiveFeed(slug, part.next))))
        } else if let previous = source.months.last(where: { $0 < part.month }) {
            links.append(AtomLink(rel: "prev-archive", href: absolute(SitePath.archiveFeed(slug, ArchivePart(month: previous)))))
        }
        return document(source, links: links, isArchive: true)
    }

    /// When an archive last changed: its newest post's last edit.
    static func archiveUpdated(_ source: FeedSource) -> Date {
        source.posts.map(\.updatedAt).max() ?? source.blogUpdatedAt
    }

    private func commonLinks(_ blog: Blog, self path: String) -> [AtomLink] {
        [
            AtomLink(rel: "self", href: absolute(path), type: "application/atom+xml"),
            AtomLink(rel: "alternate", href: absolute(SitePath.blogHome(blog.slug)), type: "text/html"),
        ]
    }

    private func document(_ source: FeedSource, links: [AtomLink], isArchive: Bool) -> AtomDocument {
        let blog = source.blog
        let updated = isArchive ? Self.archiveUpdated(source) : source.posts.map(\.updatedAt).reduce(source.blogUpdatedAt, max)
        return AtomDocument(
            id: blog.feedID, title: blog.title, updated: updated, language: blog.language.rawValue, base: site.url + "/",
            // Only a linked blog points at its owner's profile.
            author: AtomPerson(name: source.owner.profile.displayName, uri: blog.isLinked ? absolute(SitePath.profile(source.owner.handle)) : nil),
            links: links, isArchive: isArchive,
            entries: source.posts.map { post in
                AtomEntry(
                    id: post.entryID, title: post.title, published: post.publishedAt, updated: post.updatedAt,
                    url: absolute(SitePath.permalink(blog.slug, post)), contentHTML: post.content,
                    categories: post.tags, commentCount: post.commentCount
                )
            }
        )
    }

    func absolute(_ path: String) -> String { site.url + path }

    /// The WebSub hubs of public and hidden blogs' subscription documents: ferry's own, and
    /// the hosted one the operator named.
    var hubs: [String] { [absolute(SitePath.webSubHub)] + (externalHub.map { [$0] } ?? []) }

    /// The `Link` header of a subscription document (WebSub §4): its hubs, and its `self`,
    /// the topic URL subscribers name.
    func discoveryLinks(_ slug: BlogSlug) -> String {
        (hubs.map { "<\($0)>; rel=\"hub\"" } + ["<\(absolute(SitePath.feed(slug)))>; rel=\"self\""]).joined(separator: ", ")
    }
}

extension ArchivePart {
    /// Posts of the month before this part, newest first.
    var skipped: Int { (number - 1) * BlogFeed.entriesPerArchive }
}
