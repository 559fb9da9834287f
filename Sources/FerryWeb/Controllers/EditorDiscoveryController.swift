import FerryCore
import FerryRender
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/{slug}/rsd.xml` and `/{slug}/wlwmanifest.xml`, which a blog's pages link to: how a desktop
/// editor (Open Live Writer, MarsEdit) finds the API of a blog and what the blog supports.
/// They are read under the blog's own rule: a private blog's are its readers' only.
struct EditorDiscoveryController {
    let database: any Store
    let authenticator: Authenticator
    let site: SiteAddress

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.rsdPattern), use: rsd)
        router.get(RouterPath(SitePath.editorManifestPattern), use: manifest)
    }

    @Sendable func rsd(_ request: Request, context: AppRequestContext) async throws -> Response {
        let blog = try await readableBlog(request, context)
        let document = EditorDiscovery.rsd(
            blogID: blog.slug.rawValue, homePage: site.url + SitePath.blogHome(blog.slug), apiLink: site.url + SitePath.xmlRPC,
            atomPubLink: site.url + SitePath.atomPubService(blog.slug), engineLink: site.url + SitePath.home)
        return Self.answer(document, type: EditorDiscovery.rsdContentType, blog: blog)
    }

    @Sendable func manifest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let blog = try await readableBlog(request, context)
        return Self.answer(EditorDiscovery.manifest(adminURL: site.url + SitePath.dashboard), type: EditorDiscovery.manifestContentType, blog: blog)
    }

    private func readableBlog(_ request: Request, _ context: AppRequestContext) async throws -> Blog {
        let slug = try RouteParameters.slug(context)
        var reader = try await authenticator.feedReader(request, context)
        if reader == nil { reader = try await authenticator.cookieReader(request) }
        guard let blog = try await database.readableBlog(slug, by: reader) else {
            throw FerryError(.notFound, "there is no blog at '\(slug)'")
        }
        return blog
    }

    private static func answer(_ document: String, type: String, blog: Blog) -> Response {
        let cacheControl = blog.visibility == .private ? "private, no-store" : "public, max-age=3600"
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: cacheControl], body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}
