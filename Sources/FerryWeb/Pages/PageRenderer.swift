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

    /// Pages load their style and nothing else from this site; photos are references to
    /// other hosts, so images may come from anywhere over http(s).
    static let contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src https: http:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func render(_ model: some PageModel) throws -> Response {
        guard let html = library.render(model, withTemplate: model.templateName) else {
            throw FerryError(.notFound, "the page template '\(model.templateName)' is missing")
        }
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "strict-origin-when-cross-origin",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A plain value built from the store, which a template turns into HTML.
protocol PageModel: Sendable {
    var templateName: String { get }
}

extension HTTPField.Name {
    // swift-http-types has no constant for this header; the name is a valid token.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
