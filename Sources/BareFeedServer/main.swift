import Foundation
import Hummingbird
import NIOCore

/// The serving benchmarks' ceiling: a bare Hummingbird server answering each `PATH` with the
/// bytes of `FILE` and its `ETAG` (304 when `If-None-Match` names it), from memory, with no
/// middleware, database or authentication. `bare-feed-server PORT [PATH FILE ETAG]...`; with
/// one `FILE ETAG` pair and no path, it answers `/{slug}/feed.atom`.
let arguments = Array(CommandLine.arguments.dropFirst())
func fail() -> Never {
    FileHandle.standardError.write(Data("usage: bare-feed-server PORT [PATH FILE ETAG]... | PORT FEED-FILE ETAG\n".utf8))
    exit(64)
}
guard let portText = arguments.first, let port = Int(portText) else { fail() }
var routes = Array(arguments.dropFirst())
if routes.count == 2 { routes.insert("{slug}/feed.atom", at: 0) }
guard !routes.isEmpty, routes.count.isMultiple(of: 3) else { fail() }

let router = Router()
for start in stride(from: 0, to: routes.count, by: 3) {
    guard let bytes = FileManager.default.contents(atPath: routes[start + 1]) else { fail() }
    let body = ByteBuffer(bytes: bytes)
    let etag = routes[start + 2]
    let path = routes[start]
    let type =
        path.hasSuffix(".atom") ? "application/atom+xml; charset=utf-8" : path.hasSuffix(".xml") ? "application/xml; charset=utf-8" : "text/html; charset=utf-8"
    router.get(RouterPath(path)) { request, _ -> Response in
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        return Response(status: .ok, headers: [.contentType: type, .eTag: etag], body: .init(byteBuffer: body))
    }
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
