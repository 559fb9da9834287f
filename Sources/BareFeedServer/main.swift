import Foundation
import Hummingbird
import NIOCore

/// The feed benchmark's ceiling: a bare Hummingbird route answering `GET /{slug}/feed.atom`
/// with the same bytes and ETag ferry serves, from memory, with no middleware, database or
/// authentication. `bare-feed-server PORT FILE ETAG`.
let arguments = CommandLine.arguments
guard arguments.count == 4, let port = Int(arguments[1]), let bytes = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: bare-feed-server PORT FEED-FILE ETAG\n".utf8))
    exit(64)
}
let body = ByteBuffer(bytes: bytes)
let etag = arguments[3]
let router = Router()
router.get("{slug}/feed.atom") { request, _ -> Response in
    if request.headers[.ifNoneMatch] == etag {
        return Response(status: .notModified, headers: [.eTag: etag])
    }
    return Response(
        status: .ok,
        headers: [.contentType: "application/atom+xml; charset=utf-8", .eTag: etag],
        body: .init(byteBuffer: body)
    )
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
