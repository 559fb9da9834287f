import FerryCore
import FerryImport
import FerryStore
import Foundation
import Hummingbird

/// `POST /websub`: subscription requests (WebSub §5.1). A valid request is recorded and
/// answered `202 Accepted` at once; its verification of intent follows asynchronously. What
/// cannot be accepted is refused here with the reason, in problem+json.
struct WebSubController {
    let hub: WebSubHub

    static let formBytes = 16 * 1_024
    static let maxCallbackBytes = 2_048
    /// WebSub §5.1: the secret "MUST be less than 200 bytes in length".
    static let maxSecretBytes = 199

    func addRoutes(to router: Router<AppRequestContext>, readers: RouterGroup<AppRequestContext>) {
        router.post(RouterPath(SitePath.webSubHub), use: request)
        readers.get(RouterPath(SitePath.API.webSubPattern), use: status)
    }

    /// The blog's topic and how many verified subscribers it has: its owner's business only.
    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> WebSubStatusResponse {
        let session = try context.requireSession()
        let blog = try await hub.database.ownedBlog(try RouteParameters.slug(context), by: session.identityID)
        let subscriptions = try await hub.database.webSubSubscriptions(of: blog.id, at: Date())
        return WebSubStatusResponse(
            topic: hub.publisher.feed.absolute(SitePath.feed(blog.slug)), hubs: hub.publisher.feed.hubs, subscribers: subscriptions.count,
            due: subscriptions.filter(\.isDue).count)
    }

    @Sendable func request(_ request: Request, context: AppRequestContext) async throws -> Response {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/x-www-form-urlencoded" else {
            throw FerryError(.unsupportedType, "a WebSub request is a form: send it as application/x-www-form-urlencoded")
        }
        let buffer = try await request.body.collect(upTo: Self.formBytes)
        let fields = Self.fields(String(buffer: buffer))
        try await hub.accept(try subscriptionRequest(fields))
        return Response(status: .accepted)
    }

    /// The request the form asks for; unknown fields are ignored (WebSub §5.1).
    func subscriptionRequest(_ fields: [String: String]) async throws -> WebSubRequest {
        guard let modeText = fields["hub.mode"], let mode = WebSubMode(rawValue: modeText) else {
            throw FerryError.invalid("hub.mode", "hub.mode must be subscribe or unsubscribe, not '\(fields["hub.mode"] ?? "")'")
        }
        let (callback, host) = try Self.callback(fields["hub.callback"])
        if !hub.client.allowPrivateAddresses, let address = IPAddress(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))), !address.isPublic {
            throw FerryError.invalid("hub.callback", "hub.callback must be a public web address; \(host) is not one")
        }
        guard let topic = fields["hub.topic"], !topic.isEmpty else {
            throw FerryError.invalid("hub.topic", "hub.topic must name the feed to subscribe to, as its rel=\"self\" link gives it")
        }
        guard let slug = hub.topicSlug(topic), let blog = try await hub.database.readableBlog(slug, by: nil) else {
            throw FerryError.invalid(
                "hub.topic",
                "\(topic) is not a topic of this hub: topics are the feeds of public and hidden blogs here, named exactly as their rel=\"self\" link gives them"
            )
        }
        var lease: Int?
        if let text = fields["hub.lease_seconds"], !text.isEmpty {
            guard let seconds = Int(text), seconds > 0 else {
                throw FerryError.invalid("hub.lease_seconds", "hub.lease_seconds must be a positive whole number of seconds, not '\(text)'")
            }
            lease = seconds
        }
        let secret = fields["hub.secret"].flatMap { $0.isEmpty ? nil : $0 }
        if let secret, secret.utf8.count > Self.maxSecretBytes {
            throw FerryError.invalid("hub.secret", "hub.secret must be less than 200 bytes")
        }
        return WebSubRequest(
            mode: mode, blog: blog.id, topic: topic, callback: callback, callbackHost: host, secret: secret, leaseSeconds: hub.settings.lease(lease))
    }

    /// An absolute http(s) URL without a fragment, and its host (lowercased).
    static func callback(_ text: String?) throws(FerryError) -> (String, String) {
        guard let text, !text.isEmpty else { throw FerryError.invalid("hub.callback", "hub.callback must be the URL to verify and deliver to") }
        guard text.utf8.count <= maxCallbackBytes, let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host?.lowercased(), !host.isEmpty, url.fragment == nil, url.user == nil
        else {
            throw FerryError.invalid(
                "hub.callback", "hub.callback must be an absolute http(s) URL without credentials or fragment, at most \(maxCallbackBytes) bytes")
        }
        return (text, host)
    }

    /// The fields of a form body; of a field sent twice, the first counts.
    static func fields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if fields[name] == nil, let value { fields[name] = value }
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

struct WebSubStatusResponse: ResponseEncodable {
    var topic: String
    var hubs: [String]
    var subscribers: Int
    /// Subscribers owed the latest document (a delivery under way or waiting for a retry).
    var due: Int
}
