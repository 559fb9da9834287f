import FerryCore
import FerryImport
import FerryStore
import Foundation
import Hummingbird

/// `/api/claims`: the old blog roots the signed-in identity claims, and their verification.
/// An import claims the roots its old addresses lie under; they redirect once verified.
struct ClaimController {
    let database: AppDatabase
    let verifier: ClaimVerifier

    func addRoutes(to claims: RouterGroup<AppRequestContext>) {
        claims.get(use: list)
        claims.post("{id}/verify", use: verify)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ClaimListResponse {
        let session = try context.requireSession()
        return ClaimListResponse(claims: try await database.claims(of: session.identityID).map(ClaimResponse.init))
    }

    /// Fetches the old site and looks for the claim's token; 422 with what was looked for
    /// when it is not there, 409 when another identity has proven the root theirs meanwhile.
    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> ClaimResponse {
        let session = try context.requireSession()
        let text = try context.parameters.require("id")
        guard let id = Int64(text), let claim = try await database.claim(id: id), claim.identity == session.identityID else {
            throw FerryError(.notFound, "you have no claim \(text)")
        }
        guard claim.status == .pending else { return ClaimResponse(claim) }
        let method: String
        do {
            method = try await verifier.verify(claim)
        } catch {
            throw FerryError.invalid("token", error.message)
        }
        guard try await database.verifyClaim(id, by: method), let verified = try await database.claim(id: id) else {
            throw FerryError(.conflict, "another identity has proven \(claim.root) theirs")
        }
        return ClaimResponse(verified)
    }
}

/// A claim as its owner sees it: for a waiting one, the two ways to verify it.
struct ClaimResponse: ResponseEncodable {
    var id: Int64
    var root: String
    var status: OldRootClaim.Status
    var verifiedBy: String?
    var metaElement: String?
    var fileURL: String?
    var verifyURL: String?

    init(_ claim: OldRootClaim) {
        id = claim.id
        root = claim.root.url
        status = claim.status
        verifiedBy = claim.verifiedBy
        if claim.status == .pending {
            metaElement = claim.metaElement
            fileURL = claim.fileURL
            verifyURL = SitePath.verifyClaim(claim.id)
        }
    }
}

struct ClaimListResponse: ResponseEncodable {
    var claims: [ClaimResponse]
}
