import FerryCore
import FerryStore
import Hummingbird

/// `/api/me/contacts`: invite, accept, list and remove, always as the signed-in identity.
struct ContactController {
    let database: any Store
    let limits: RequestLimits

    struct Invitation: Decodable {
        var handle: String
    }

    func addRoutes(signedIn: RouterGroup<AppRequestContext>) {
        signedIn.get(RouterPath(SitePath.API.contacts), use: list)
        signedIn.post(RouterPath(SitePath.API.contacts), use: invite)
        signedIn.post(RouterPath(SitePath.API.acceptContactPattern), use: accept)
        signedIn.delete(RouterPath(SitePath.API.contactPattern), use: remove)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageResponse<ContactResponse> {
        let session = try context.requireSession()
        let query = request.uri.queryParameters
        let state = try query.get("state").map { text throws(FerryError) in
            guard let state = ContactState(rawValue: text) else {
                throw .invalid("state", "must be one of \(ContactState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return state
        }
        let after = try query.get("after").map { text throws(FerryError) in try Handle(validating: text, field: "after") }
        let page = try await database.contacts(of: session.identityID, state: state, after: after, limit: limits.pageSize(request))
        return PageResponse(key: "contacts", items: page.entries.map(ContactResponse.init), nextCursor: page.nextCursor?.rawValue)
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ContactResponse> {
        let session = try context.requireSession()
        let body = try await request.decodeJSON(Invitation.self, limit: limits.jsonBodyBytes)
        let entry = try await database.invite(from: session.identityID, to: Handle(validating: body.handle))
        return EditedResponse(status: .created, response: ContactResponse(entry: entry))
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> ContactResponse {
        let session = try context.requireSession()
        let entry = try await database.acceptInvitation(of: session.identityID, from: try handleParameter(context))
        return ContactResponse(entry: entry)
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let session = try context.requireSession()
        try await database.removeContact(of: session.identityID, handle: try handleParameter(context))
        return .noContent
    }

    private func handleParameter(_ context: AppRequestContext) throws -> Handle {
        try Handle(validating: context.parameters.require("handle"))
    }
}
