import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// The contact stream (`/api/me/stream` as Activity Streams 2.0, `/api/me/stream.atom`) and
/// an identity's public activities (`/people/{handle}/activity.atom`).
struct StreamController {
    let database: any Store
    let authenticator: Authenticator
    let limits: RequestLimits
    let cursors: StreamCursors
    let site: SiteAddress
    let renderer: PageRenderer

    static let defaultPageSize = 20
    static let maximumPageSize = 100
    static let feedEntries = 50

    func addRoutes(to router: Router<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        signedIn.get(RouterPath(SitePath.API.stream), use: page)
        router.get(RouterPath(SitePath.API.streamFeed), use: streamFeed)
        router.get(RouterPath(SitePath.activityFeedPattern), use: activityFeed)
        router.get(RouterPath(SitePath.streamHTML), use: htmlPage)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.requireSession().identityID
        let limit = try limits.pageSize(request, default: Self.defaultPageSize, maximum: Self.maximumPageSize)
        let before = try cursor(request, for: viewer)
        var validator: StreamValidator?
        if before == nil {
            validator = try await StreamValidator(database, viewer: viewer, representation: "as2-\(limit)")
            if let validator, validator.matches(request) { return validator.notModified }
        }
        let items = try await database.stream(of: viewer, before: before, limit: limit + 1)
        let shown = items.prefix(limit)
        var next: String?
        if items.count > limit, let last = shown.last {
            next = site.url + SitePath.API.streamPage(limit: limit, before: cursors.cursor(after: last.activity.id, for: viewer))
        }
        let selfPath = SitePath.API.streamPage(limit: limit, before: before.map { cursors.cursor(after: $0, for: viewer) })
        var response = ActivityStreamPage(
            id: site.url + selfPath, partOf: site.url + SitePath.API.stream, next: next,
            orderedItems: shown.map { StreamActivity(StreamEntry(item: $0, site: site)) }
        ).response()
        validator?.label(&response)
        return response
    }

    /// The stream as a page for a browser signed in with the cookie; others are sent to sign in.
    @Sendable func htmlPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limit = Self.defaultPageSize
        guard let viewer = try await authenticator.cookieReader(request),
            let (identity, items) = try await database.streamReading(of: viewer, before: try cursor(request, for: viewer), limit: limit + 1)
        else {
            return Response(status: .seeOther, headers: [.location: "\(SitePath.signIn)?next=\(SitePath.streamHTML)", .cacheControl: "no-store"])
        }
        let shown = items.prefix(limit)
        let older = items.count > limit ? shown.last.map { cursors.cursor(after: $0.activity.id, for: viewer) } : nil
        return try renderer.render(
            StreamHTMLPage(entries: shown.map { StreamEntry(item: $0, site: site) }, olderCursor: older, viewer: Viewer(identity, request: request)))
    }

    /// The newest activities as Atom, for feed readers: HTTP Basic, a bearer token or the cookie.
    @Sendable func streamFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let unauthenticated = FerryError(.unauthenticated, "your stream needs credentials: HTTP Basic with your handle and password, or a bearer token")
        guard let viewer = try await authenticator.feedReader(request, context) else { throw unauthenticated }
        let validator = try await StreamValidator(database, viewer: viewer, representation: "atom")
        if let validator, validator.matches(request) { return validator.notModified }
        guard let (identity, items) = try await database.streamReading(of: viewer, before: nil, limit: Self.feedEntries) else { throw unauthenticated }
        var response = StreamFeed(site: site).document(
            id: "stream:\(identity.handle.rawValue)", title: "What the contacts of \(identity.profile.displayName) are doing",
            selfPath: SitePath.API.streamFeed, alternatePath: SitePath.streamHTML, owner: identity,
            entries: items.map { StreamEntry(item: $0, site: site) }
        ).response(to: request)
        validator?.label(&response)
        return response
    }

    /// What an identity's public and hidden linked blogs did; nothing of private blogs.
    @Sendable func activityFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = try context.parameters.require("handle")
        guard let handle = try? Handle(validating: text), let (identity, items) = try await database.publicActivities(of: handle, limit: Self.feedEntries)
        else {
            throw FerryError(.notFound, "there is no identity with the handle '\(text)'")
        }
        return StreamFeed(site: site).document(
            id: "activity:\(identity.handle.rawValue)", title: "\(identity.profile.displayName) on ferry",
            selfPath: SitePath.activityFeed(identity.handle), alternatePath: SitePath.profile(identity.handle), owner: identity,
            entries: items.map { StreamEntry(item: $0, site: site) }
        ).response(to: request)
    }

    private func cursor(_ request: Request, for viewer: IdentityID) throws -> ActivityID? {
        guard let text = request.uri.queryParameters.get("before") else { return nil }
        guard let id = cursors.activityID(in: text, for: viewer) else {
            throw FerryError(
                .malformedRequest, "before must be a cursor from this stream's next link; this one was changed or belongs to someone else", field: "before")
        }
        return id
    }
}
