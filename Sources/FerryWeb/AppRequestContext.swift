import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// Request-scoped values only: who is signed in (set by `BearerAuthentication`) and the logger.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: SignedIn?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
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

extension AppDatabase {
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
