import FerryCore
import FerryRender
import FerryStore
import Foundation
import Hummingbird

/// `/robots.txt` and the sitemap: what crawlers may index. Only public blogs appear in the
/// sitemap; hidden blogs say `noindex` on their own pages and private ones are not told of.
struct SiteController {
    let site: SiteAddress
    let sitemaps: SitemapPublisher

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.robots), use: robots)
        router.get(RouterPath(SitePath.sitemap), use: sitemap)
        router.get(RouterPath(SitePath.sitemapPartPattern), use: sitemapPart)
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
        try await sitemaps.index().response(to: request)
    }

    @Sendable func sitemapPart(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("part")
        guard let part = try await sitemaps.part(name) else {
            throw FerryError(.notFound, "there is no sitemap at \(request.uri.path); \(SitePath.sitemap) lists them")
        }
        return part.response(to: request)
    }
}
