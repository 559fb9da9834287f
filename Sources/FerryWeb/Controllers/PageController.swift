import FerryCore
import FerryStore
import Hummingbird

/// Server-rendered HTML pages.
struct PageController {
    let database: AppDatabase
    let renderer: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.profilePattern), use: profile)
    }

    @Sendable func profile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = try context.parameters.require("handle")
        guard let handle = try? Handle(validating: text),
              let identity = try await database.identity(handle: handle)
        else {
            throw FerryError(.notFound, "there is no identity with the handle '\(text)'")
        }
        return try renderer.render(ProfilePage(identity))
    }
}
