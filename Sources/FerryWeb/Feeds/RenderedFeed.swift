import Crypto
import FerryCore
import FerryRender
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A feed document rendered once, with the validators that let clients skip downloading it.
struct RenderedFeed: Sendable {
    let body: ByteBuffer
    /// Strong: a hash of the exact bytes.
    let etag: String
    let lastModified: String
    let lastModifiedDate: Date
    /// Hidden blogs tell search engines not to index their feeds either.
    let noindex: Bool
    let cacheControl: String
    /// Built once, so answering a request copies headers instead of assembling them.
    private let fullHeaders: HTTPFields
    private let notModifiedHeaders: HTTPFields

    /// WebSub discovery (`rel="hub"`, `rel="self"`), for a subscription document that is a topic.
    let links: String?

    init(xml: String, lastModified: Date, noindex: Bool, cacheControl: String, links: String? = nil) {
        let bytes = Data(xml.utf8)
        let etag = "\"" + SHA256.hash(data: bytes).prefix(16).hexadecimal + "\""
        self.init(body: ByteBuffer(bytes: bytes), etag: etag, lastModified: lastModified, noindex: noindex, cacheControl: cacheControl, links: links)
    }

    private init(body: ByteBuffer, etag: String, lastModified: Date, noindex: Bool, cacheControl: String, links: String?) {
        self.body = body
        self.etag = etag
        lastModifiedDate = Date(timeIntervalSince1970: lastModified.timeIntervalSince1970.rounded(.down))
        self.lastModified = UTCDate.http(lastModifiedDate)
        self.noindex = noindex
        self.cacheControl = cacheControl
        self.links = links
        var headers: HTTPFields = [.eTag: etag, .lastModified: self.lastModified, .cacheControl: cacheControl]
        if noindex { headers[.xRobotsTag] = "noindex" }
        if let links { headers[.link] = links }
        notModifiedHeaders = headers
        headers[.contentType] = AtomDocument.contentType
        fullHeaders = headers
    }

    /// The same document with the time it was first seen, so that re-rendering identical
    /// bytes does not move `Last-Modified`.
    func keepingDate(of previous: RenderedFeed?) -> RenderedFeed {
        guard let previous, previous.etag == etag else { return self }
        return RenderedFeed(body: body, etag: etag, lastModified: previous.lastModifiedDate, noindex: noindex, cacheControl: cacheControl, links: links)
    }

    /// 200 with the bytes, or 304 with none when the client's copy is current. `If-None-Match`
    /// wins over `If-Modified-Since` (RFC 9110 §13.2.2).
    func response(to request: Request) -> Response {
        if isCurrent(for: request) {
            return Response(status: .notModified, headers: notModifiedHeaders)
        }
        return Response(status: .ok, headers: fullHeaders, body: .init(byteBuffer: body))
    }

    private func isCurrent(for request: Request) -> Bool {
        if let tags = request.headers[.ifNoneMatch] {
            return tags == etag || tags == "*"
                || tags.split(separator: ",").contains {
                    let tag = $0.trimmingCharacters(in: .whitespaces)
                    return tag == etag || tag == "W/" + etag
                }
        }
        guard let since = request.headers[.ifModifiedSince] else { return false }
        if since == lastModified { return true }
        guard let date = UTCDate.parseHTTP(since) else { return false }
        return lastModifiedDate <= date
    }
}

extension HTTPField.Name {
    static let xRobotsTag = HTTPField.Name("X-Robots-Tag")!
    static let link = HTTPField.Name("Link")!
}
