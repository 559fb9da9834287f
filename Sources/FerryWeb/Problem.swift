import FerryCore
import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem details document, the body of every API error.
struct Problem: Encodable, Sendable {
    /// Identifies the kind of problem; `tag:` URIs (RFC 4151) name it without a hard-coded host.
    var type: String
    var title: String
    var status: Int
    var detail: String
    /// The offending input field, for validation errors.
    var field: String?

    static let contentType = "application/problem+json"

    init(status: HTTPResponse.Status, detail: String, type: String = "about:blank", field: String? = nil) {
        self.type = type
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.field = field
    }

    init(_ error: FerryError) {
        self.init(
            status: error.code.httpStatus,
            detail: error.message,
            type: "tag:ferry,2026:problem/\(error.code.rawValue)",
            field: error.field
        )
    }

    var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: status, reasonPhrase: title) }

    func response(headers extra: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data("{}".utf8)
        var headers = extra
        headers[.contentType] = Self.contentType
        return Response(
            status: httpStatus,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

extension FerryError.Code {
    var httpStatus: HTTPResponse.Status {
        switch self {
        case .invalidField: .unprocessableContent
        case .malformedRequest: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .tooLarge: .contentTooLarge
        case .gone: .gone
        case .tooMany: .tooManyRequests
        case .quotaExceeded: .contentTooLarge
        case .unreadableExport: .unprocessableContent
        case .unfetchable: .badGateway
        case .brokenInvariant: .internalServerError
        case .unsupportedType: .unsupportedMediaType
        case .keyReused: .unprocessableContent
        default: .badRequest
        }
    }
}
