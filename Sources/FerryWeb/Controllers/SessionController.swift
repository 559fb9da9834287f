import FerryCore
import FerryStore
import Foundation
import Hummingbird
import Logging

/// `POST /api/sessions` signs in; `DELETE /api/sessions/current` signs the token out.
struct SessionController {
    let database: AppDatabase
    let hasher: PasswordHasher
    let limits: RequestLimits
    let lifetime: Duration

    struct Credentials: Decodable {
        var handle: String
        var password: String
    }

    struct SessionResponse: ResponseEncodable {
        var token: String
        var expiresAt: Date
    }

    func addRoutes(to sessions: RouterGroup<AppRequestContext>, signedIn current: RouterGroup<AppRequestContext>) {
        sessions.post(use: signIn)
        current.delete(use: signOut)
    }

    /// An unknown handle, a malformed one and a wrong password all get the same answer, after
    /// the same bcrypt work, so sign-in reveals nothing about which handles exist.
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<SessionResponse> {
        let body = try await request.decodeJSON(Credentials.self, limit: limits.jsonBodyBytes)
        var stored: FerryStore.Credentials?
        if let handle = try? Handle(validating: body.handle) {
            stored = try await database.credentials(handle: handle)
        }
        guard try await hasher.verify(body.password, against: stored?.passwordHash), let stored else {
            context.logger.notice("sign-in refused")
            throw FerryError(.unauthenticated, "the handle or the password is wrong")
        }
        let token = SessionToken.generate()
        let now = Date()
        let expiresAt = now.addingTimeInterval(TimeInterval(lifetime.components.seconds))
        try await database.openSession(for: stored.identityID, token: token, expiresAt: expiresAt, at: now)
        return EditedResponse(status: .ok, headers: [.cacheControl: "no-store"], response: SessionResponse(token: token.value, expiresAt: expiresAt))
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let session = try context.requireSession()
        try await database.closeSession(session.token)
        return .noContent
    }
}
