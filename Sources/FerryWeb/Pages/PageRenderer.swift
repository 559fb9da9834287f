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

    func render(_ model: some PageModel, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(model, withTemplate: model.templateName) else {
            throw FerryError.brokenInvariant("the page template '\(model.templateName)' is missing")
        }
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "strict-origin-when-cross-origin",
        ]
        if model.noindex { headers[.xRobotsTag] = "noindex" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
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

extension HTTPField.Name {
    // swift-http-types has no constant for this header; the name is a valid token.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
