import FerryCore
import FerryRender
import FerryStore
import Foundation
import HTTPTypes
import Synchronization

/// `/sitemap.xml`, an index over parts of at most 50,000 URLs, and the parts themselves, kept
/// in the page cache. The index is read again after any blog's change (one small table, where
/// the database notes when each part last changed); a part is rendered again only when its
/// date moved. Every date is the database's, so nodes and restarts agree on them.
final class SitemapPublisher: Sendable {
    let database: any Store
    let site: SiteAddress
    let pages: PageCache
    /// The date of each part the last index showed, to tell which parts changed since.
    private let known = Mutex<[String: Date]>([:])

    static let indexKey = SitePath.sitemap
    static let contentType = "application/xml; charset=utf-8"

    init(database: any Store, site: SiteAddress, pages: PageCache) {
        self.database = database
        self.site = site
        self.pages = pages
    }

    func index() async throws -> RenderedDocument {
        if let document = pages.documentForAnyone(at: Self.indexKey) { return document }
        let stamp = pages.stamp()
        let parts = try await database.sitemapParts()
        let dates = Dictionary(parts.map { (Self.name(of: $0), $0.changedAt) }, uniquingKeysWith: max)
        let moved = known.withLock { known in
            defer { known = dates }
            return dates.filter { known[$0.key] != $0.value }.map(\.key)
        }
        for name in moved { pages.changed(.sitemapPart(name)) }
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for part in parts {
            let location = MarkupEscaping.text(site.url + SitePath.sitemapPart(Self.name(of: part)))
            xml += "<sitemap><loc>\(location)</loc><lastmod>\(part.changedAt.formatted(.iso8601))</lastmod></sitemap>\n"
        }
        xml += "</sitemapindex>\n"
        let document = Self.document(xml, lastModified: parts.map(\.changedAt).max() ?? Date(timeIntervalSince1970: 0))
        pages.keep(CachedPage(document: document, bar: nil, visibility: .public), at: Self.indexKey, dependencies: [.sitemap], renderedAfter: stamp)
        return document
    }

    /// The part named `name` (`blogs-0`, `posts-12`), if the index lists it.
    func part(_ name: String) async throws -> RenderedDocument? {
        _ = try await index()
        guard let date = known.withLock({ $0[name] }), let (kind, number) = Self.parse(name) else { return nil }
        let key = SitePath.sitemapPart(name)
        if let document = pages.documentForAnyone(at: key) { return document }
        let stamp = pages.stamp()
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for entry in try await database.sitemapEntries(of: kind, part: number) {
            let location = MarkupEscaping.text(site.url + (entry.path ?? SitePath.blogHome(entry.blog)))
            xml += "<url><loc>\(location)</loc><lastmod>\(entry.lastModified.formatted(.iso8601))</lastmod></url>\n"
        }
        xml += "</urlset>\n"
        let document = Self.document(xml, lastModified: date)
        pages.keep(CachedPage(document: document, bar: nil, visibility: .public), at: key, dependencies: [.sitemapPart(name)], renderedAfter: stamp)
        return document
    }

    private static func document(_ xml: String, lastModified: Date) -> RenderedDocument {
        RenderedDocument(bytes: Data(xml.utf8), contentType: contentType, lastModified: lastModified, headers: [.cacheControl: "public, no-cache"])
    }

    static func name(of part: SitemapPart) -> String {
        "\(part.kind.rawValue)-\(part.number)"
    }

    private static func parse(_ name: String) -> (SitemapPart.Kind, Int)? {
        let pieces = name.split(separator: "-")
        guard pieces.count == 2, let kind = SitemapPart.Kind(rawValue: String(pieces[0])), let number = Int(pieces[1]), number >= 0 else { return nil }
        return (kind, number)
    }
}
