import FerryCore
import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Decodes a JSON body of at most `limit` bytes. A larger body is refused as soon as its
    /// declared length or its streamed bytes pass the limit, without buffering it whole.
    func decodeJSON<Body: Decodable>(_ type: Body.Type, limit: Int) async throws -> Body {
        if let declared = headers[.contentLength].flatMap(Int.init), declared > limit {
            throw Self.tooLarge(limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit)
        }
        // JSON is UTF-8 (RFC 8259); the decoder skips bytes it does not decode without looking.
        guard String(validating: buffer.readableBytesView, as: UTF8.self) != nil else {
            throw FerryError(.malformedRequest, "the JSON body is not valid UTF-8")
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw FerryError(decoding: error)
        }
    }

    private static func tooLarge(_ limit: Int) -> FerryError {
        FerryError(.tooLarge, "the JSON body is larger than the limit of \(limit) bytes")
    }
}

extension FerryError {
    /// Says which field was wrong, in the words a client developer would use.
    init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self = .invalid(field, "is required")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            self.init(.malformedRequest, "the body must be a JSON object")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            self = .invalid(path(context.codingPath), "must be \(Self.jsonName(of: type))")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            self = .invalid(path(context.codingPath), context.debugDescription)
        default:
            self.init(.malformedRequest, "the body is not a valid JSON document in UTF-8")
        }
    }

    private static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "a JSON \(type)"
        }
    }
}
