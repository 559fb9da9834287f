import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `/signup` for browsers: handle, password and display name make an identity, signed in at
/// once, by the same rules as `POST /api/identities`. A field that is wrong is named beside
/// it, and the form keeps what was typed (never the password). The form carries a
/// `FormToken`, like the sign-in form.
struct SignUpController {
    let database: any Store
    let authenticator: Authenticator
    let hasher: PasswordHasher
    let renderer: PageRenderer
    let site: SiteAddress

    struct SignUpForm: Decodable {
        var handle: String?
        var password: String?
        var displayName: String?
        var next: String?
        var csrf: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.signUp), use: form)
        router.post(RouterPath(SitePath.signUp), use: signUp)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        try page(SignUpPage(next: request.uri.queryParameters.get("next").map { SignInController.safeReturnPath(String($0)) } ?? ""), request)
    }

    @Sendable func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: SignInController.formBytes)
        let form = try URLEncodedFormDecoder().decode(SignUpForm.self, from: String(buffer: buffer))
        var typed = SignUpPage(handle: form.handle ?? "", displayName: form.displayName ?? "", next: form.next.map(SignInController.safeReturnPath) ?? "")
        guard FormToken.matchesSignIn(form.csrf, request) else {
            typed.message = "This form has expired: please send it again."
            return try page(typed, status: .forbidden, request)
        }
        do {
            let identity = try await IdentityController.createIdentity(
                handle: typed.handle, password: form.password ?? "", displayName: typed.displayName, hasher: hasher, in: database
            )
            context.logger.info("identity created", metadata: ["ferry.identity.handle": "\(identity.handle)"])
            return try await SignInController.signedIn(
                identity.id, goingTo: typed.next.isEmpty ? SitePath.profile(identity.handle) : typed.next, authenticator: authenticator,
                secure: site.isSecure(request)
            )
        } catch let error as FerryError where error.field != nil || error.code == .conflict {
            typed.show(error)
            return try page(typed, status: error.code == .conflict ? .conflict : .unprocessableContent, request)
        }
    }

    private func page(_ page: SignUpPage, status: HTTPResponse.Status = .ok, _ request: Request) throws -> Response {
        try renderer.render(form: page, status: status, path: SitePath.signUp, secure: site.isSecure(request), request)
    }
}

/// The sign-up form, with what was typed and the error beside the field it is about.
struct SignUpPage: SignInTokenForm {
    var templateName: String { "signup" }
    var title = "Join ferry"
    var language = "en"
    var handle = ""
    var displayName = ""
    /// Where the new identity goes once signed in (the move wizard, say); empty: its profile.
    var next = ""
    var message: String?
    var handleError: String?
    var passwordError: String?
    var displayNameError: String?
    var csrf = ""
    var stylesheet = SitePath.stylesheet("ferry.css")
    var noindex = true

    /// Puts `error` beside its field (the API's field names), or above the form.
    mutating func show(_ error: FerryError) {
        switch error.field {
        case "handle": handleError = error.message
        case "password": passwordError = error.message
        case "displayName": displayNameError = error.message
        default: message = error.message
        }
    }
}
