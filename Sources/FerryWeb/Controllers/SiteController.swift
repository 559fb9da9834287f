import FerryCore
import FerryRender
import FerryStore
import Foundation
import Hummingbird

/// `/robots.txt` and `/sitemap.xml`: what crawlers may index. Only public blogs appear in
/// the sitemap; hidden blogs say `noindex` on their own pages and private ones are not told of.
struct SiteController {
    let database: any Store
    let site: SiteAddress

    /// The sitemap protocol's limit for one file.
    static let sitemapLimit = 50_000

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.robots), use: robots)
        router.get(RouterPath(SitePath.sitemap), use: sitemap)
    }

    @Sendable func robots(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = """
            User-agent: *
            Disallow: /api/
            Disallow: \(SitePath.signIn)
            Disallow: \(SitePath.signOut)
            Sitemap: \(site.url)\(SitePath.sitemap)

            """
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func sitemap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let siteURL = site.url
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for entry in try await database.sitemapEntries(limit: Self.sitemapLimit) {
            let path = entry.path ?? SitePath.blogHome(entry.blog)
            xml += "<url><loc>\(MarkupEscaping.text(siteURL + path))</loc><lastmod>\(entry.lastModified.formatted(.iso8601))</lastmod></url>\n"
        }
        xml += "</urlset>\n"
        return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }
}
