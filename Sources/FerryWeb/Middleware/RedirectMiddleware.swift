import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// Old addresses keep working: a request for another host (an old blog host whose name now
/// points here) whose path matches an address recorded by an import answers 301 with the new
/// absolute URL, which also moves feed readers and WebSub subscriptions. Requests for the
/// site's own hosts never touch the database here, and only addresses whose blog's owner
/// holds a verified claim on their old root lead on (see `OldRootClaim`).
///
/// An address into a private blog leads on only for someone who may read it (a feed reader
/// sending its credentials to the old address); anyone else is answered as if nothing had been
/// recorded, since the new address would name the post.
struct RedirectMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: any Store
    let site: SiteAddress
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authority = request.head.authority, !site.isOwn(authority: authority),
            let address = OldAddress(url: "http://\(authority)\(request.uri.path)\(Self.postQuery(request))"),
            !site.ownHosts.contains(address.host),
            let (target, blog) = try await database.redirect(from: address),
            try await mayFollow(request, context, into: blog)
        else {
            return try await next(request, context)
        }
        let cacheControl = blog.visibility == .private ? "private, no-store" : "public, max-age=86400"
        return Response(status: .movedPermanently, headers: [.location: site.url + target, .cacheControl: cacheControl])
    }

    private func mayFollow(_ request: Request, _ context: Context, into blog: Blog) async throws -> Bool {
        guard blog.visibility == .private else { return true }
        let reader = try? await authenticator.feedReader(request, context)
        return try await database.readableBlog(blog.slug, by: reader) != nil
    }

    /// `?p=123` or `?page_id=123`, the only queries that name a post on an old host.
    private static func postQuery(_ request: Request) -> String {
        for name in OldAddress.postQueries {
            if let value = request.uri.queryParameters.get(name), !value.isEmpty,
                let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
            {
                return "?\(name)=\(encoded)"
            }
        }
        return ""
    }
}
