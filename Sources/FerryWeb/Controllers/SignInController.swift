import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `/login` and `/logout` for browsers: a form that sets the session cookie (HttpOnly,
/// SameSite=Lax, Secure when the site is served over TLS), and a form button that clears it.
/// Both forms carry a `FormToken`, so no other site can sign a browser in or out.
struct SignInController {
    let authenticator: Authenticator
    let renderer: PageRenderer
    /// Served over TLS (an https base URL) means cookies get `Secure`.
    let site: SiteAddress

    struct SignInForm: Decodable {
        var handle: String?
        var password: String?
        var next: String?
        var csrf: String?
    }

    struct SignOutForm: Decodable {
        var csrf: String?
    }

    static let formBytes = 16 * 1024

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.signIn), use: form)
        router.post(RouterPath(SitePath.signIn), use: signIn)
        router.post(RouterPath(SitePath.signOut), use: signOut)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        try signInPage(SignInPage(handle: "", next: Self.safeReturnPath(request.uri.queryParameters.get("next"))), request)
    }

    private func signInPage(_ page: SignInPage, status: HTTPResponse.Status = .ok, _ request: Request) throws -> Response {
        try renderer.render(form: page, status: status, path: SitePath.signIn, secure: secure(request), request)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: Self.formBytes)
        let form = try URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: buffer))
        let next = Self.safeReturnPath(form.next)
        guard FormToken.matchesSignIn(form.csrf, request) else {
            context.logger.notice("sign-in form without its token")
            let page = SignInPage(message: "This sign-in form has expired: please sign in again.", handle: form.handle ?? "", next: next)
            return try signInPage(page, status: .forbidden, request)
        }
        var identity: IdentityID?
        do {
            if let handle = form.handle, let password = form.password {
                identity = try await authenticator.identity(handle: handle, password: password, client: context.clientAddress(request))
            }
        } catch let error as HTTPError where error.status == .tooManyRequests {
            let page = SignInPage(message: "Too many failed sign-ins: please wait a little.", handle: form.handle ?? "", next: next)
            var response = try signInPage(page, status: .tooManyRequests, request)
            response.headers[.retryAfter] = error.headers[.retryAfter]
            return response
        }
        guard let identity else {
            context.logger.notice("sign-in refused")
            let page = SignInPage(message: "The handle or the password is wrong.", handle: form.handle ?? "", next: next)
            return try signInPage(page, status: .unauthorized, request)
        }
        return try await Self.signedIn(identity, goingTo: next, authenticator: authenticator, secure: secure(request))
    }

    /// A new session for `identity`, set as the cookie of the answer that sends the browser on.
    static func signedIn(_ identity: IdentityID, goingTo next: String, authenticator: Authenticator, secure: Bool) async throws -> Response {
        let session = try await authenticator.openSession(for: identity)
        var response = Response(status: .seeOther, headers: [.location: next, .cacheControl: "no-store"])
        response.setCookie(
            Cookie(
                name: Authenticator.cookieName, value: session.token.value, expires: session.expiresAt, path: "/",
                secure: secure, httpOnly: true, sameSite: .lax
            ))
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: Self.formBytes)
        let form = try URLEncodedFormDecoder().decode(SignOutForm.self, from: String(buffer: buffer))
        guard request.cookies[Authenticator.cookieName] == nil || FormToken.matchesSession(form.csrf, request) else {
            throw FerryError(.forbidden, "this sign-out did not come from a page of this site; sign out from one of its pages")
        }
        if let value = request.cookies[Authenticator.cookieName]?.value, !value.isEmpty, value.utf8.count <= 256 {
            try await authenticator.database.closeSession(SessionToken(value: value))
        }
        var response = Response(status: .seeOther, headers: [.location: SitePath.signIn])
        response.setCookie(
            Cookie(
                name: Authenticator.cookieName, value: "", maxAge: 0, path: "/", secure: secure(request), httpOnly: true, sameSite: .lax
            ))
        return response
    }

    private func secure(_ request: Request) -> Bool { site.isSecure(request) }

    /// Only a path on this site: `//evil.example` or `https://…` would make the form an open redirect.
    static func safeReturnPath(_ sent: String?) -> String {
        // A query value arrives percent-encoded (`%2Fmove`); it is judged as the path it names.
        guard let next = sent.map({ $0.removingPercentEncoding ?? "" }), next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return "/" }
        return next
    }
}

extension HTTPField.Name {
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
