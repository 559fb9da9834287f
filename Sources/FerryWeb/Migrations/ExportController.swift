import FerryCore
import FerryImport
import FerryStore
import Hummingbird
import NIOCore

/// `GET /api/blogs/{slug}/export`: the owner's offline copy, streamed as WXR 1.2.
struct ExportController {
    let database: any Store
    let site: SiteAddress

    func addRoutes(readers: RouterGroup<AppRequestContext>) {
        readers.get(RouterPath(SitePath.API.exportPattern), use: export)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let blog = try await database.ownedBlog(try RouteParameters.slug(context), by: session.identityID)
        let exporter = WXRExport(database: database, siteURL: site.url)
        let headers: HTTPFields = [
            .contentType: "application/rss+xml; charset=utf-8",
            .contentDisposition: "attachment; filename=\"\(blog.slug.rawValue).wordpress.xml\"",
            .cacheControl: "no-store",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await exporter.write(blog) { text in try await writer.write(ByteBuffer(string: text)) }
                try await writer.finish(nil)
            })
    }
}
