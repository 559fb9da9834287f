import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// `GET /.well-known/webfinger?resource=acct:HANDLE@HOST` (RFC 7033): where an identity's
/// profile page and activity feed are. Also answers for the profile's own URL as resource.
struct WebFingerController {
    let database: any Store
    let site: SiteAddress

    static let contentType = "application/jrd+json"

    struct Descriptor: Encodable {
        var subject: String
        var aliases: [String]
        var links: [Link]
    }

    struct Link: Encodable {
        var rel: String
        var type: String?
        var href: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.webFinger), use: describe)
    }

    @Sendable func describe(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let resource = request.uri.queryParameters.get("resource"), !resource.isEmpty else {
            throw FerryError(.malformedRequest, "resource is required, as in ?resource=acct:alice@\(site.host ?? "example.org")", field: "resource")
        }
        let handle = try self.handle(in: resource)
        guard let identity = try await database.identity(handle: handle) else {
            throw FerryError(.notFound, "there is no identity '\(handle)' here")
        }
        let profile = site.url + SitePath.profile(identity.handle)
        var links = [
            Link(rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: profile),
            Link(rel: "http://schemas.google.com/g/2010#updates-from", type: "application/atom+xml", href: site.url + SitePath.activityFeed(identity.handle)),
        ]
        if let photo = identity.profile.photoURL { links.append(Link(rel: "http://webfinger.net/rel/avatar", href: photo)) }
        // RFC 7033 §4.3: `rel` parameters, when given, choose which links to return.
        let wanted = request.uri.queryParameters.getAll("rel").map { String($0) }
        if !wanted.isEmpty { links = links.filter { wanted.contains($0.rel) } }
        let descriptor = Descriptor(subject: "acct:\(identity.handle.rawValue)@\(site.host ?? "")", aliases: [profile], links: links)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Response(
            status: .ok,
            // §5: anyone's browser-based client may ask.
            headers: [.contentType: Self.contentType, .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(descriptor)))
        )
    }

    /// The handle an `acct:` URI (on this host) or a profile URL names.
    private func handle(in resource: String) throws -> Handle {
        let notHere = FerryError(.notFound, "'\(resource.prefix(200))' is not an account on \(site.host ?? "this site")")
        let name: Substring
        if resource.lowercased().hasPrefix("acct:") {
            let account = resource.dropFirst(5)
            guard let at = account.lastIndex(of: "@") else {
                throw FerryError(.malformedRequest, "an acct: resource is acct:HANDLE@HOST", field: "resource")
            }
            // The host may carry the port the site listens on.
            let authority = account[account.index(after: at)...]
            let host = OldAddress(host: String(authority.prefix { $0 != ":" }), path: "").host
            guard host == site.host else { throw notHere }
            name = account[..<at]
        } else if resource.hasPrefix(site.url + SitePath.profilePrefix) {
            name = resource.dropFirst(site.url.count + SitePath.profilePrefix.count)
        } else {
            throw notHere
        }
        guard let handle = try? Handle(validating: String(name.removingPercentEncoding ?? String(name))) else { throw notHere }
        return handle
    }
}
