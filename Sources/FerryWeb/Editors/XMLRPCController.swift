import Crypto
import FerryCore
import FerryImport
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `POST /xmlrpc`, the one XML-RPC endpoint of every blog. The call is written to disk as it
/// arrives (refused past its limit: the largest upload, base64-encoded, and room for the rest),
/// read as hostile input (`XMLRPCCall`; an upload's base64 decoded into a file beside it as
/// it is read), answered with a `methodResponse` or a fault — always `200 text/xml`, as
/// XML-RPC clients expect. Whatever the call left on disk is removed when it is answered.
struct XMLRPCController {
    let api: BlogEditorAPI
    let directory: URL

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post(RouterPath(SitePath.xmlRPC), use: call)
    }

    /// The largest call: an upload of the largest photo or video, base64 (4 bytes for 3).
    var maxCallBytes: Int { api.uploader.limits.maxBytes / 3 * 4 + 1 << 20 }

    @Sendable func call(_ request: Request, context: AppRequestContext) async throws -> Response {
        let spool = directory.appendingPathComponent(SymmetricKey(size: .bits128).withUnsafeBytes { $0.hexadecimal })
        let file = spool.appendingPathComponent("call.xml")
        defer { try? FileManager.default.removeItem(at: spool) }
        do {
            let tooLarge = FerryError(.tooLarge, "the call is larger than \(maxCallBytes) bytes")
            if let length = request.headers[.contentLength].flatMap(Int.init), length > maxCallBytes { throw tooLarge }
            let sink = try FileSink(file: file, limit: maxCallBytes, tooLarge: tooLarge)
            for try await chunk in request.body { try sink.write(ArraySlice(chunk.readableBytesView)) }
            let call = try await NIOThreadPool.singleton.runIfActive { try XMLRPCCall.read(path: file.path, spool: spool) }
            let value = try await api.call(call, client: context.clientAddress(request))
            return Self.answer(XMLRPCResponse.success(value))
        } catch let error as FerryError {
            if error.code == .brokenInvariant { context.logger.error("xml-rpc call failed", metadata: ["ferry.error": "\(error)"]) }
            return Self.answer(XMLRPCResponse.fault(code: XMLRPCFault.code(for: error), error.message))
        }
    }

    private static func answer(_ document: String) -> Response {
        Response(status: .ok, headers: [.contentType: XMLRPCResponse.contentType], body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}

/// The fault codes clients read, as WordPress answers them: 403 for bad credentials, 401 for
/// what the identity may not do (the API's 403; someone else's private blog stays "not
/// found", 404), 400 for bad parameters, -32700 for a malformed call, -32601 for an unknown method.
enum XMLRPCFault {
    static let unknownMethodField = "method"

    static func code(for error: FerryError) -> Int {
        switch error.code {
        case .malformedRequest: -32700
        case .notFound where error.field == unknownMethodField: -32601
        case .unauthenticated, .tooMany: 403
        case .forbidden: 401
        case .notFound: 404
        case .tooLarge, .quotaExceeded: 413
        case .unsupportedType: 415
        case .conflict: 409
        case .brokenInvariant: 500
        default: 400
        }
    }
}
