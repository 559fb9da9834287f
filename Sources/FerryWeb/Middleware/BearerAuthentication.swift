import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// Records the identity that `Authorization: Bearer TOKEN` signs in, in the context.
///
/// When `required`, a request without a token is refused; otherwise it goes on anonymously
/// (routes that write still call `requireSession`). A token that is sent but not live is
/// always refused, so a stale token never silently reads as a stranger.
struct BearerAuthentication: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: any Store
    var required = true

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.authorization] != nil || required else {
            return try await next(request, context)
        }
        guard let token = Self.bearerToken(in: request) else {
            throw FerryError(.unauthenticated, "this needs a signed-in identity: send 'Authorization: Bearer TOKEN' with a token from POST /api/sessions")
        }
        guard let identityID = try await database.identityID(signedInBy: token) else {
            throw FerryError(.unauthenticated, "the bearer token is unknown, expired or revoked; sign in again")
        }
        var context = context
        context.session = SignedIn(identityID: identityID, token: token)
        return try await next(request, context)
    }

    /// Tokens are 43 characters; anything far longer is not worth hashing.
    static func bearerToken(in request: Request) -> SessionToken? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.utf8.count <= 256 else { return nil }
        return SessionToken(value: value)
    }
}
