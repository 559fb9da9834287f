import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// `PUT|DELETE /api/blogs/{slug}/messenger-link`: the owner connects a blog to their messenger
/// identity (after typing the password again, as a "Connect" dialog asks) or disconnects it.
struct MessengerLinkController {
    let database: any Store
    let authenticator: Authenticator
    let limits: RequestLimits
    /// The feed names the owner's profile only while the blog is linked.

    struct LinkBody: Decodable {
        var password: String
    }

    func addRoutes(readers: RouterGroup<AppRequestContext>) {
        readers.put(RouterPath(SitePath.API.messengerLinkPattern), use: link)
        readers.delete(RouterPath(SitePath.API.messengerLinkPattern), use: unlink)
    }

    @Sendable func link(_ request: Request, context: AppRequestContext) async throws -> BlogResponse {
        let session = try context.requireSession()
        let body = try await request.decodeJSON(LinkBody.self, limit: limits.jsonBodyBytes)
        let slug = try RouteParameters.slug(context)
        // Whether the blog is the caller's is answered before the password is checked, so the
        // password check never tells anything about other people's blogs.
        _ = try await database.ownedBlog(slug, by: session.identityID)
        let owner = try await database.signedInIdentity(session)
        try await authenticator.confirmPassword(body.password, of: owner, client: context.clientAddress(request), unchanged: "the blog stays as it was")
        let blog = try await database.linkBlog(slug, by: session.identityID)
        return BlogResponse(blog: blog, owner: owner.handle)
    }

    @Sendable func unlink(_ request: Request, context: AppRequestContext) async throws -> BlogResponse {
        let session = try context.requireSession()
        let blog = try await database.unlinkBlog(try RouteParameters.slug(context), by: session.identityID)
        return BlogResponse(blog: blog, owner: try await database.signedInIdentity(session).handle)
    }
}
