import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Request-scoped values only: who is signed in (set by `BearerAuthentication`), the peer's
/// address and the logger.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: SignedIn?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's address, to ration password checks by: the peer's, or — when the peer is
    /// a proxy on this machine (loopback, as `deploy/nginx.conf` runs it) — the last address
    /// that proxy put in `X-Forwarded-For`.
    func clientAddress(_ request: Request) -> String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        guard peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("::ffff:127."),
            let forwarded = request.headers[.xForwardedFor]?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
            !forwarded.isEmpty
        else { return peer }
        return String(forwarded.prefix(64))
    }

    /// ISO 8601 dates, keys in a stable order, and URLs without escaped slashes.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The signed-in caller; routes behind `BearerAuthentication` can rely on it.
    func requireSession() throws -> SignedIn {
        guard let session else { throw FerryError(.unauthenticated, "sign in first") }
        return session
    }
}

extension IdentityStore {
    /// The identity a signed-in request speaks for; one deleted since it signed in is refused.
    func signedInIdentity(_ session: SignedIn) async throws -> Identity {
        guard let identity = try await identity(session.identityID) else {
            throw FerryError(.unauthenticated, "this identity no longer exists")
        }
        return identity
    }
}

/// The identity a request speaks for, and the token it used (so it can sign itself out).
public struct SignedIn: Sendable {
    public var identityID: IdentityID
    public var token: SessionToken
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
