import FerryCore
import FerryStore
import Foundation
import Hummingbird
import Logging

/// `POST /api/sessions` signs in; `DELETE /api/sessions/current` signs the token out.
struct SessionController {
    let authenticator: Authenticator
    let limits: RequestLimits

    struct Credentials: Decodable {
        var handle: String
        var password: String
    }

    struct SessionResponse: ResponseEncodable {
        var token: String
        var expiresAt: Date
    }

    func addRoutes(anyone: RouterGroup<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        anyone.post(RouterPath(SitePath.API.sessions), use: signIn)
        signedIn.delete(RouterPath(SitePath.API.currentSession), use: signOut)
    }

    /// An unknown handle, a malformed one and a wrong password all get the same answer, after
    /// the same bcrypt work, so sign-in reveals nothing about which handles exist.
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<SessionResponse> {
        let body = try await request.decodeJSON(Credentials.self, limit: limits.jsonBodyBytes)
        guard let identity = try await authenticator.identity(handle: body.handle, password: body.password, client: context.clientAddress(request)) else {
            context.logger.notice("sign-in refused")
            throw FerryError(.unauthenticated, "the handle or the password is wrong")
        }
        let session = try await authenticator.openSession(for: identity)
        return EditedResponse(
            status: .ok, headers: [.cacheControl: "no-store"],
            response: SessionResponse(token: session.token.value, expiresAt: session.expiresAt)
        )
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let session = try context.requireSession()
        try await authenticator.database.closeSession(session.token)
        return .noContent
    }
}
