import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// The owner's own pages (`/move`, `/me`, `/contacts`, the editor) need the browser's session
/// cookie: with it, the request speaks for its identity (`context.session`), as a bearer token
/// does for the API; without it, the browser is sent to sign in and brought back.
/// Forms check their `FormToken` themselves, once they have read their body.
struct CookieSession: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let value = request.cookies[Authenticator.cookieName]?.value, !value.isEmpty, value.utf8.count <= 256,
            let identityID = try await authenticator.database.identityID(signedInBy: SessionToken(value: value))
        else {
            let back = request.method == .get ? request.uri.description : request.uri.path
            let query = URLEncodedForm.escape(SignInController.safeReturnPath(back))
            return Response(status: .seeOther, headers: [.location: "\(SitePath.signIn)?next=\(query)", .cacheControl: "no-store"])
        }
        var context = context
        context.session = SignedIn(identityID: identityID, token: SessionToken(value: value))
        return try await next(request, context)
    }
}

enum URLEncodedForm {
    /// `text` as a query value: everything but unreserved characters percent-encoded.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}
