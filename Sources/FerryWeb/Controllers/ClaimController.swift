import FerryCore
import FerryImport
import FerryStore
import Foundation
import Hummingbird

/// `/api/claims`: the old blog roots the signed-in identity claims, and their verification;
/// `POST /claims/{id}/verify`, the same from the button on the owner's profile page.
/// An import claims the roots its old addresses lie under; they redirect once verified.
struct ClaimController {
    let database: any Store
    let verifier: ClaimVerifier
    let authenticator: Authenticator

    struct VerifyForm: Decodable {
        var csrf: String?
    }

    func addRoutes(to router: Router<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        signedIn.get(RouterPath(SitePath.API.claims), use: list)
        signedIn.post(RouterPath(SitePath.API.verifyClaimPattern), use: verify)
        router.post(RouterPath(SitePath.verifyClaimFormPattern), use: verifyFromPage)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ClaimListResponse {
        let session = try context.requireSession()
        return ClaimListResponse(claims: try await database.claims(of: session.identityID).map(ClaimResponse.init))
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> ClaimResponse {
        ClaimResponse(try await verify(try context.parameters.require("id"), by: try context.requireSession().identityID))
    }

    /// Verifies and goes back to the profile, which shows the result (`?claim=ID`).
    @Sendable func verifyFromPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try URLEncodedFormDecoder().decode(VerifyForm.self, from: String(buffer: try await request.body.collect(upTo: 16 * 1024)))
        guard let reader = try await authenticator.cookieReader(request), let identity = try await database.identity(reader) else {
            throw FerryError(.unauthenticated, "sign in to verify an old address")
        }
        guard FormToken.matchesSession(form.csrf, request) else {
            throw FerryError(.forbidden, "this form did not come from a page of this site")
        }
        let id = try context.parameters.require("id")
        do {
            _ = try await verify(id, by: reader)
        } catch let error as FerryError where error.code != .notFound {
            // The profile says how the check went: it reads the claim again.
        }
        return Response(status: .seeOther, headers: [.location: SitePath.profile(identity.handle) + "?claim=\(id)"])
    }

    /// Fetches the old site and looks for the claim's token; 422 with what was looked for
    /// when it is not there, 409 when another identity has proven the root theirs meanwhile.
    private func verify(_ text: String, by identity: IdentityID) async throws -> OldRootClaim {
        guard let id = Int64(text), let claim = try await database.claim(id: id), claim.identity == identity else {
            throw FerryError(.notFound, "you have no claim \(text)")
        }
        guard claim.status == .pending else { return claim }
        let method: String
        do {
            method = try await verifier.verify(claim)
        } catch {
            throw FerryError.invalid("token", error.message)
        }
        guard try await database.verifyClaim(id, by: method), let verified = try await database.claim(id: id) else {
            throw FerryError(.conflict, "another identity has proven \(claim.root) theirs")
        }
        return verified
    }
}

/// A claim as its owner sees it: for a waiting one, the two ways to verify it.
struct ClaimResponse: ResponseEncodable {
    var id: Int64
    var root: String
    var status: OldRootClaim.Status
    @AlwaysPresent var verifiedBy: String? = nil
    /// How to prove the root is the owner's, while the claim is pending.
    @AlwaysPresent var metaElement: String? = nil
    @AlwaysPresent var fileURL: String? = nil
    @AlwaysPresent var verifyURL: String? = nil

    init(_ claim: OldRootClaim) {
        id = claim.id
        root = claim.root.url
        status = claim.status
        verifiedBy = claim.verifiedBy
        if claim.status == .pending {
            metaElement = claim.metaElement
            fileURL = claim.fileURL
            verifyURL = SitePath.API.verifyClaim(claim.id)
        }
    }
}

struct ClaimListResponse: ResponseEncodable {
    var claims: [ClaimResponse]
}
