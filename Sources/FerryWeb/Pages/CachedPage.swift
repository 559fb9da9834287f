import FerryCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A page as an anonymous reader sees it, rendered once, with where its sign-in bar is, so
/// that a signed-in reader gets the same bytes with their own bar in its place.
struct CachedPage: Sendable {
    let document: RenderedDocument
    /// The bytes of the anonymous bar ("Sign in", "Join ferry") in `document.body`.
    let bar: Range<Int>?
    /// The visibility of the page's blog when it was rendered; nil for a profile. A private
    /// blog's page is served only to readers the database says may read it.
    let visibility: BlogVisibility?

    /// What keeping it costs, roughly: its bytes and its bookkeeping.
    var cost: Int { document.body.readableBytes + 512 }

    /// Anyone may be served it without asking the database who they are.
    var isForAnyone: Bool { visibility != .private }

    /// The page for a signed-in reader: their bar instead of the anonymous one, never stored
    /// by shared caches, and without validators (it is assembled per request).
    func response(withBar signedInBar: String, headers: HTTPFields) -> Response? {
        guard let bar else { return nil }
        let body = document.body
        var assembled = ByteBuffer()
        assembled.reserveCapacity(body.readableBytes - bar.count + signedInBar.utf8.count)
        assembled.writeImmutableBuffer(body.getSlice(at: body.readerIndex, length: bar.lowerBound) ?? ByteBuffer())
        assembled.writeString(signedInBar)
        let tail = body.readableBytes - bar.upperBound
        assembled.writeImmutableBuffer(body.getSlice(at: body.readerIndex + bar.upperBound, length: tail) ?? ByteBuffer())
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: assembled))
    }
}
