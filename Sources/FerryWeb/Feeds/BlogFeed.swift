import FerryCore
import FerryRender
import FerryStore
import Foundation

/// How a blog's posts become Atom documents: the subscription document with the newest
/// posts, and one RFC 5005 archive document per month that has posts.
struct BlogFeed: Sendable {
    let site: SiteAddress

    static let entriesPerDocument = 20

    /// The subscription document. When it does not hold every post, it links `prev-archive`
    /// to the month of its oldest entry; that archive and the ones before it hold the rest.
    func subscription(_ source: FeedSource) -> AtomDocument {
        var links = commonLinks(source.blog, self: SitePath.feed(source.blog.slug))
        if source.posts.count >= Self.entriesPerDocument, let oldest = source.posts.last {
            links.append(AtomLink(rel: "prev-archive", href: absolute(SitePath.archiveFeed(source.blog.slug, oldest.month))))
        }
        return document(source, links: links, isArchive: false)
    }

    /// The archive document of `month`, linking its neighbours and the subscription document.
    func archive(_ source: FeedSource, month: PostMonth) -> AtomDocument {
        let slug = source.blog.slug
        var links = commonLinks(source.blog, self: SitePath.archiveFeed(slug, month))
        links.append(AtomLink(rel: "current", href: absolute(SitePath.feed(slug))))
        if let previous = source.months.last(where: { $0 < month }) {
            links.append(AtomLink(rel: "prev-archive", href: absolute(SitePath.archiveFeed(slug, previous))))
        }
        if let next = source.months.first(where: { $0 > month }) {
            links.append(AtomLink(rel: "next-archive", href: absolute(SitePath.archiveFeed(slug, next))))
        }
        return document(source, links: links, isArchive: true)
    }

    private func commonLinks(_ blog: Blog, self path: String) -> [AtomLink] {
        [
            AtomLink(rel: "self", href: absolute(path), type: "application/atom+xml"),
            AtomLink(rel: "alternate", href: absolute(SitePath.blogHome(blog.slug)), type: "text/html"),
        ]
    }

    private func document(_ source: FeedSource, links: [AtomLink], isArchive: Bool) -> AtomDocument {
        let blog = source.blog
        let updated = source.posts.map(\.updatedAt).reduce(source.blogUpdatedAt, max)
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
}
