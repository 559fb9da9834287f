import FerryCore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders page models with the Mustache templates in `public/templates`. `{{value}}`
/// escapes HTML, so everything user-written is escaped unless a template says otherwise.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init(templatesDirectory: URL) async throws {
        library = try await MustacheLibrary(directory: templatesDirectory.path)
    }

    /// Pages load their style and script (files, never inline) from this site only, and the
    /// script talks to this site only; photos are references to other hosts, so images may
    /// come from anywhere over http(s).
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' https: http:; media-src 'self' https: http:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// What every page answers with besides its body.
    static func headers(noindex: Bool) -> HTTPFields {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "strict-origin-when-cross-origin",
        ]
        if noindex { headers[.xRobotsTag] = "noindex" }
        return headers
    }

    func render(_ model: some PageModel, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: Self.headers(noindex: model.noindex), body: .init(byteBuffer: ByteBuffer(string: try html(model))))
    }

    func html(_ model: some PageModel) throws -> String {
        guard let html = library.render(TemplateValues(model), withTemplate: model.templateName) else {
            throw FerryError.brokenInvariant("the page template '\(model.templateName)' is missing")
        }
        return html
    }

    /// The sign-in bar: the viewer's, or the anonymous one that leads back to `returnPath`.
    func signInBar(_ viewer: Viewer?, returnPath: String) -> String {
        library.render(TemplateValues(SignInBar(viewer: viewer, returnPath: returnPath)), withTemplate: "signin-bar") ?? ""
    }

    /// The anonymous page of `model` as it is kept and served to everyone: validators (its
    /// date kept from `previous` when the bytes are the same), revalidated at each use, and
    /// `Vary: Cookie`, since a signed-in reader gets it with their own bar.
    func cachedPage(_ model: some ReaderPage, visibility: BlogVisibility?, previous: CachedPage?) throws -> CachedPage {
        let html = Data(try html(model).utf8)
        let bar = html.range(of: Data(signInBar(nil, returnPath: model.returnPath).utf8))
        var headers = Self.headers(noindex: model.noindex)
        headers[.contentType] = nil
        headers[.cacheControl] = visibility == .private ? "private, no-cache" : "no-cache"
        headers[.vary] = "Cookie"
        let document = RenderedDocument(bytes: html, contentType: "text/html; charset=utf-8", lastModified: Date(), headers: headers)
        return CachedPage(document: document.keepingDate(of: previous?.document), bar: bar, visibility: visibility)
    }
}

/// A plain value built from the store, which a template turns into HTML.
protocol PageModel: Sendable {
    var templateName: String { get }
    /// Asks search engines not to index the page (`X-Robots-Tag`; templates add the meta tag).
    var noindex: Bool { get }
}

extension PageModel {
    var noindex: Bool { false }
}

/// A page readers see, with the sign-in bar that leads back to it.
protocol ReaderPage: PageModel {
    var returnPath: String { get }
}

private struct SignInBar: Sendable {
    var viewer: Viewer?
    var returnPath: String
}

extension HTTPField.Name {
    // swift-http-types has no constant for this header; the name is a valid token.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
