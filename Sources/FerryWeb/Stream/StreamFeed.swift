import FerryCore
import FerryRender
import Foundation

/// Streams as Atom documents: the signed-in identity's contact stream and an identity's
/// public activities. Each entry carries its actor as author.
struct StreamFeed: Sendable {
    let site: SiteAddress

    func document(id: String, title: String, selfPath: String, alternatePath: String, owner: Identity, entries: [StreamEntry]) -> RenderedDocument {
        let updated = entries.first?.activity.createdAt ?? owner.createdAt
        let document = AtomDocument(
            id: "tag:\(site.idAuthority),2026:\(id)", title: title, updated: updated, language: "en", base: site.url + "/",
            author: AtomPerson(name: owner.profile.displayName, uri: site.url + SitePath.profile(owner.handle)),
            links: [
                AtomLink(rel: "self", href: site.url + selfPath, type: "application/atom+xml"),
                AtomLink(rel: "alternate", href: site.url + alternatePath, type: "text/html"),
            ],
            entries: entries.map { entry in
                AtomEntry(
                    id: entry.id, title: entry.headline, published: entry.activity.createdAt, updated: entry.activity.createdAt,
                    url: entry.url, contentHTML: entry.contentHTML, categories: [], commentCount: 0,
                    author: AtomPerson(name: entry.actorName, uri: entry.profileURL)
                )
            }
        )
        // Search engines have no business with activity feeds; readers revalidate with the ETag.
        return RenderedDocument.feed(xml: document.render(), lastModified: updated, noindex: true, cacheControl: "private, no-cache")
    }
}
