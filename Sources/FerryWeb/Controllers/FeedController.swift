import FerryCore
import FerryStore
import Hummingbird

/// `GET /{slug}/feed.atom` and the monthly archives `GET /{slug}/feed/{yyyy-mm}.atom`.
///
/// A visible blog's current document is answered from the bytes rendered at its last change,
/// without touching the database. Private feeds need HTTP Basic, a bearer token or the
/// session cookie; without any, every feed that is not public (including one that does not
/// exist) answers 401, so a challenge never reveals that a private blog exists.
struct FeedController {
    let database: any Store
    let publisher: FeedPublisher
    let authenticator: Authenticator

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.feedPattern), use: current)
        router.get(RouterPath(SitePath.archiveFeedPattern), use: archive)
    }

    @Sendable func current(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = try context.parameters.require("slug")
        if let rendered = publisher.current(text) {
            return rendered.response(to: request)
        }
        let slug = try? BlogSlug(validating: text)
        if let slug, let rendered = publisher.current(slug.rawValue) {
            return rendered.response(to: request)
        }
        let blog = try await readableBlog(slug, request, context)
        let rendered =
            try await blog.visibility == .private
            ? publisher.privateSubscription(of: blog)
            : publisher.publish(blog.id)
        guard let rendered else { throw FerryError(.notFound, "there is no feed at \(request.uri.path)") }
        return rendered.response(to: request)
    }

    @Sendable func archive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = try? BlogSlug(validating: context.parameters.require("slug"))
        let blog = try await readableBlog(slug, request, context)
        guard let part = ArchivePart(key: try context.parameters.require("month")),
            let rendered = try await publisher.archive(of: blog, part: part)
        else {
            throw FerryError(
                .notFound,
                "there is no archive at \(request.uri.path); archives are named by month, like 2026-11.atom (a large month goes on in 2026-11-2.atom…), for closed months with posts (this month's posts are in feed.atom)"
            )
        }
        return rendered.response(to: request)
    }

    private func readableBlog(_ slug: BlogSlug?, _ request: Request, _ context: AppRequestContext) async throws -> Blog {
        let reader = try await authenticator.feedReader(request, context)
        guard let slug, let blog = try await database.readableBlog(slug, by: reader) else {
            if reader == nil {
                throw FerryError(.unauthenticated, "this feed needs credentials: HTTP Basic with your handle and password, or a bearer token")
            }
            throw FerryError(.notFound, "there is no feed at \(request.uri.path)")
        }
        return blog
    }
}
