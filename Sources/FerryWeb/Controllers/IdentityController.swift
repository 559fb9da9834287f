import FerryCore
import FerryStore
import Foundation
import Hummingbird
import Logging

/// `POST /api/identities`, `GET /api/me` and `PATCH /api/me`.
struct IdentityController {
    let database: any Store
    let hasher: PasswordHasher
    let limits: RequestLimits
    let window: MigrationWindow

    struct NewIdentity: Decodable {
        var handle: String
        var password: String
        var displayName: String
    }

    func addRoutes(anyone: RouterGroup<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        anyone.post(RouterPath(SitePath.API.identities), use: create)
        signedIn.get(RouterPath(SitePath.API.me), use: show)
        signedIn.patch(RouterPath(SitePath.API.me), use: update)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IdentityResponse> {
        let body = try await request.decodeJSON(NewIdentity.self, limit: limits.jsonBodyBytes)
        let identity = try await Self.createIdentity(handle: body.handle, password: body.password, displayName: body.displayName, hasher: hasher, in: database)
        context.logger.info("identity created", metadata: ["ferry.identity.handle": "\(identity.handle)"])
        return EditedResponse(
            status: .created,
            headers: [.location: SitePath.API.me],
            response: IdentityResponse(identity: identity)
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> IdentityResponse {
        let identity = try await database.signedInIdentity(context.requireSession())
        return IdentityResponse(identity: identity, deadline: MigrationDeadline(window))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> IdentityResponse {
        let session = try context.requireSession()
        let patch = try await request.decodeJSON(ProfilePatchBody.self, limit: limits.jsonBodyBytes)
        let identity = try await database.updateProfile(of: session.identityID, with: patch.update)
        return IdentityResponse(identity: identity)
    }

    /// Validates and creates an identity, for the API and the sign-up page alike: the first
    /// field that is wrong is named in the error, and nothing is written then.
    static func createIdentity(
        handle: String, password: String, displayName: String, hasher: PasswordHasher, in database: any IdentityStore
    ) async throws -> Identity {
        let handle = try Handle(validating: handle)
        try PasswordPolicy.validate(password)
        let displayName = try Profile.validDisplayName(displayName)
        let hash = try await hasher.hash(password)
        return try await database.createIdentity(handle: handle, displayName: displayName, passwordHash: hash)
    }
}
