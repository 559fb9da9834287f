import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// `/help/desktop-editor`, which the move's report links to: what to type into Open Live
/// Writer or another blog editor — for a signed-in owner, their own blogs' addresses and handle.
struct DesktopEditorHelp {
    let database: any Store
    let authenticator: Authenticator
    let renderer: PageRenderer
    let site: SiteAddress

    func addRoutes(anyone: RouterGroup<AppRequestContext>) {
        anyone.get(RouterPath(SitePath.desktopEditorHelp), use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        var page = DesktopEditorPage(site: site.url)
        if let viewer = try await authenticator.cookieReader(request), let identity = try await database.identity(viewer) {
            page.viewer = Viewer(identity, request: request)
            page.blogs = try await database.blogs(ownedBy: viewer).map {
                DesktopEditorPage.BlogAddress(url: site.url + SitePath.blogHome($0.slug), atomPub: site.url + SitePath.atomPubService($0.slug))
            }
        }
        return try renderer.render(page)
    }
}

struct DesktopEditorPage: PageModel {
    var templateName: String { "desktop-editor" }
    var title = "Write from a desktop editor"
    var language = "en"
    var stylesheet = SitePath.stylesheet("ferry.css")
    var returnPath = SitePath.desktopEditorHelp
    var site: String
    var viewer: Viewer?
    var blogs: [BlogAddress] = []

    struct BlogAddress: Sendable {
        var url: String
        /// The AtomPub service document, for editors that ask for one.
        var atomPub: String
    }
}
