import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// What every page of the signed-in owner's own shows around its content: who is signed in,
/// the way to sign out, the links between these pages, and the token of their forms. Templates
/// open it with `{{#frame}}{{> account-head}}{{/frame}}`.
struct AccountFrame: Sendable {
    var title: String
    var language = "en"
    var stylesheet = SitePath.stylesheet("ferry.css")
    var script = SitePath.script("ferry.js")
    var noindex = true
    var viewer: Viewer
    var returnPath: String
    /// The `FormToken` every form of the page sends back.
    var csrf: String
    /// Without script, a page that changes by itself (a running move) reloads this often.
    var refreshSeconds: Int?
}

/// The owner's pages share how they start, render and check their forms.
struct AccountPages: Sendable {
    let database: any Store
    let renderer: PageRenderer

    /// The signed-in identity (`CookieSession` put it in `context`) and its page frame.
    func frame(_ title: String, _ request: Request, _ context: AppRequestContext) async throws -> (Identity, AccountFrame) {
        try await frame(title, request, for: try context.requireSession().identityID)
    }

    func frame(_ title: String, _ request: Request, for identityID: IdentityID) async throws -> (Identity, AccountFrame) {
        guard let identity = try await database.identity(identityID) else {
            throw FerryError(.unauthenticated, "this identity no longer exists")
        }
        let viewer = Viewer(identity, request: request)
        return (identity, AccountFrame(title: title, viewer: viewer, returnPath: request.uri.path, csrf: viewer.csrf))
    }

    /// The page, never stored by a cache: it holds the owner's own data and form tokens.
    func render(_ page: some PageModel, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try renderer.render(page, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The owner's password typed again on a form (tying a blog to the messenger identity);
    /// too many wrong ones are said beside the field too.
    func confirmPassword(
        _ password: String, of owner: IdentityID, unchanged: String, authenticator: Authenticator, _ request: Request, _ context: AppRequestContext
    ) async throws {
        guard let identity = try await database.identity(owner) else { throw FerryError(.unauthenticated, "sign in first") }
        do {
            try await authenticator.confirmPassword(password, of: identity, client: context.clientAddress(request), unchanged: unchanged)
        } catch let error as HTTPError where error.status == .tooManyRequests {
            throw FerryError(.tooMany, "too many wrong passwords: wait a little and try again", field: "password")
        }
    }

    /// A plain form's fields (`application/x-www-form-urlencoded`), read within `formBytes`.
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: formBytes)
        return try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: buffer))
    }

    /// What a plain form of these pages may send: a profile's bio, a blog's settings.
    static let formBytes = 64 * 1_024

    /// Refuses a form that did not come from one of this site's pages (cross-site forgery).
    static func checkToken(_ sent: String?, _ request: Request) throws(FerryError) {
        guard FormToken.matchesSession(sent, request) else {
            throw FerryError(.forbidden, "this form has expired or did not come from a page of this site: reload the page and send it again")
        }
    }

    /// After a form did its work, the browser is sent on to a page to read (post/redirect/get).
    static func seeOther(_ path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path, .cacheControl: "no-store"])
    }
}

/// The errors of a form, each shown beside the field it names (the API's problem `field`), or
/// above the form when it names none.
struct FieldErrors: Sendable {
    var byField: [String: String] = [:]
    var message: String?

    init() {}

    init(_ error: FerryError, fields: Set<String>) {
        if let field = error.field, fields.contains(field) {
            byField[field] = Self.sentence(error.message)
        } else {
            message = Self.sentence(error.message)
        }
    }

    /// The API's messages start in lowercase, as a problem's `detail` does; a page shows a sentence.
    static func sentence(_ message: String) -> String {
        guard let first = message.first else { return message }
        return first.uppercased() + message.dropFirst() + (message.hasSuffix(".") ? "" : ".")
    }
}
