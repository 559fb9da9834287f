import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// `GET /media/{hash}.{ext}`: a stored photo or video, to anyone who may read a blog that uses
/// it — media of private posts stay private. Content never changes under a hash, so it is
/// cacheable for a year (privately when the blog is private).
struct MediaController {
    let library: MediaLibrary
    let authenticator: Authenticator

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("media/{file}", use: file)
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("file")
        let hash = String(name.prefix { $0 != "." })
        let notFound = FerryError(.notFound, "there is no medium at \(request.uri.path)")
        guard hash.count == 64, hash.allSatisfy(\.isHexDigit), hash == hash.lowercased() else { throw notFound }
        let reader = try await authenticator.feedReader(request)
        guard let media = try await library.readable(hash, by: reader) else { throw notFound }
        let data = try await NIOThreadPool.singleton.runIfActive { [library] in try Data(contentsOf: library.file(hash)) }
        let headers: HTTPFields = [
            .contentType: media.contentType,
            .eTag: "\"\(hash)\"",
            .cacheControl: reader == nil ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable",
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: "default-src 'none'; sandbox",
        ]
        if request.headers[.ifNoneMatch] == "\"\(hash)\"" {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
