import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// Old addresses keep working: a request for another host (an old blog host whose name now
/// points here) whose path matches an address recorded by an import answers 301 with the new
/// absolute URL, which also moves feed readers and WebSub subscriptions. Requests for the
/// site's own host never touch the database here.
struct RedirectMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    let site: SiteAddress

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authority = request.head.authority,
              let address = OldAddress(url: "http://\(authority)\(request.uri.path)\(Self.postQuery(request))"),
              address.host != site.host,
              let target = try await database.redirect(from: address)
        else {
            return try await next(request, context)
        }
        return Response(status: .movedPermanently, headers: [.location: site.url + target, .cacheControl: "public, max-age=86400"])
    }

    /// `?p=123` or `?page_id=123`, the only queries that name a post on an old host.
    private static func postQuery(_ request: Request) -> String {
        for name in OldAddress.postQueries {
            if let value = request.uri.queryParameters.get(name), !value.isEmpty,
               let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
                return "?\(name)=\(encoded)"
            }
        }
        return ""
    }
}
