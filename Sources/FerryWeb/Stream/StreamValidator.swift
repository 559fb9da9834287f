import Crypto
import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// The validator of a stream's first page: an `ETag` made from the viewer, the representation
/// and the store's stamp of everything the page depends on (`streamStamp`), so an unchanged
/// poll is answered `304` after a few index lookups, without reading or rendering the page.
/// Weak: equal tags mean an equal page, not equal bytes (times are written as of the request).
struct StreamValidator {
    let etag: String

    /// Nil when the viewer is gone (the page itself then says so).
    init?(_ database: any Store, viewer: IdentityID, representation: String) async throws {
        guard let stamp = try await database.streamStamp(of: viewer) else { return nil }
        let digest = SHA256.hash(data: Array("\(viewer.rawValue)|\(representation)|\(stamp)".utf8))
        etag = "W/\"" + digest.prefix(12).hexadecimal + "\""
    }

    /// Whether the client's copy (`If-None-Match`) is current.
    func matches(_ request: Request) -> Bool {
        guard let tags = request.headers[.ifNoneMatch] else { return false }
        let bare = etag.dropFirst(2)
        return tags.split(separator: ",").contains {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == etag || tag == bare || tag == "*"
        }
    }

    var notModified: Response {
        Response(status: .notModified, headers: [.eTag: etag, .cacheControl: "private, no-cache"])
    }

    /// Gives a freshly built page this validator; the page may then be revalidated, not stored blindly.
    func label(_ response: inout Response) {
        guard response.status == .ok else { return }
        response.headers[.eTag] = etag
        response.headers[.cacheControl] = "private, no-cache"
    }
}
