import Crypto
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// Tokens that prove a form was sent from one of ferry's own pages (cross-site request
/// forgery). A signed-in browser's forms carry a digest of its session cookie, which another
/// site can neither read nor compute; the sign-in form, before any session, carries a random
/// value that must match a cookie set with the form (a double-submit cookie), so no other
/// site can sign a browser into the attacker's account.
enum FormToken {
    /// The form field every protected form sends.
    static let field = "csrf"
    /// The cookie the sign-in form's value is paired with.
    static let signInCookie = "ferry_signin"

    /// The token of the signed-in browser's forms; nil without a session cookie.
    static func forSession(_ request: Request) -> String? {
        guard let session = request.cookies[Authenticator.cookieName]?.value, !session.isEmpty else { return nil }
        return forSession(value: session)
    }

    static func forSession(value session: String) -> String {
        Data(SHA256.hash(data: Data("ferry-form:\(session)".utf8))).base64URLEncodedString()
    }

    /// Whether `sent` is the session's form token.
    static func matchesSession(_ sent: String?, _ request: Request) -> Bool {
        guard let sent, let expected = forSession(request) else { return false }
        return constantTimeEqual(sent, expected)
    }

    /// The sign-in form's value: the browser's cookie if it has a sound one, else a new one.
    static func forSignIn(_ request: Request) -> String {
        if let value = request.cookies[signInCookie]?.value, value.utf8.count == 43, value.utf8.allSatisfy(isBase64URL) { return value }
        return SessionToken.generate().value
    }

    /// Whether the sign-in form sent back the value its cookie holds.
    static func matchesSignIn(_ sent: String?, _ request: Request) -> Bool {
        guard let sent, let cookie = request.cookies[signInCookie]?.value, !cookie.isEmpty else { return false }
        return constantTimeEqual(sent, cookie)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    private static func constantTimeEqual(_ first: String, _ second: String) -> Bool {
        let first = Array(first.utf8)
        let second = Array(second.utf8)
        guard first.count == second.count else { return false }
        return zip(first, second).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// A page whose form is sent before its sender is signed in (sign-in, sign-up): it carries
/// the token that its cookie holds (double submit).
protocol SignInTokenForm: PageModel {
    var csrf: String { get set }
}

extension PageRenderer {
    /// Renders `page` with a token for its form, and sets the cookie the token is checked
    /// against, sent back to `path` only.
    func render(form page: some SignInTokenForm, status: HTTPResponse.Status = .ok, path: String, secure: Bool, _ request: Request) throws -> Response {
        var page = page
        page.csrf = FormToken.forSignIn(request)
        var response = try render(page, status: status)
        response.setCookie(Cookie(name: FormToken.signInCookie, value: page.csrf, path: path, secure: secure, httpOnly: true, sameSite: .strict))
        return response
    }
}
