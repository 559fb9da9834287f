import Crypto
import FerryCore
import FerryRender
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A document rendered once (a feed, a page, a sitemap), with the validators that let clients
/// skip downloading it again. A class: requests share one instance instead of copying its
/// headers and bytes, which matters at tens of thousands of requests a second.
final class RenderedDocument: Sendable {
    let body: ByteBuffer
    /// Strong: a hash of the exact bytes.
    let etag: String
    let lastModified: String
    let lastModifiedDate: Date
    private let contentType: String
    /// Besides the validators and the content type: caching, robots, links.
    private let headers: HTTPFields
    /// Built once, so answering a request copies headers instead of assembling them.
    private let fullHeaders: HTTPFields
    private let notModifiedHeaders: HTTPFields

    convenience init(bytes: Data, contentType: String, lastModified: Date, headers: HTTPFields) {
        let etag = "\"" + SHA256.hash(data: bytes).prefix(16).hexadecimal + "\""
        self.init(body: ByteBuffer(bytes: bytes), etag: etag, contentType: contentType, lastModified: lastModified, headers: headers)
    }

    private init(body: ByteBuffer, etag: String, contentType: String, lastModified: Date, headers: HTTPFields) {
        self.body = body
        self.etag = etag
        self.contentType = contentType
        self.headers = headers
        lastModifiedDate = Date(timeIntervalSince1970: lastModified.timeIntervalSince1970.rounded(.down))
        self.lastModified = UTCDate.http(lastModifiedDate)
        var validated = headers
        validated[.eTag] = etag
        validated[.lastModified] = self.lastModified
        notModifiedHeaders = Self.notModifiedFields(of: validated)
        validated[.contentType] = contentType
        fullHeaders = validated
    }

    /// What a 304 repeats of the 200 (RFC 9110 §15.4.5): the fields that guide a cache's
    /// update. The rest (the security policy, `Last-Modified` beside a strong `ETag`) the client
    /// already holds with its copy; leaving it out keeps the hottest answer small.
    private static func notModifiedFields(of headers: HTTPFields) -> HTTPFields {
        let kept: Set<HTTPField.Name> = [.eTag, .cacheControl, .vary, .expires, .contentLocation]
        return HTTPFields(headers.filter { kept.contains($0.name) })
    }

    /// The same document with the time it was first seen, so that re-rendering identical
    /// bytes does not move `Last-Modified`.
    func keepingDate(of previous: RenderedDocument?) -> RenderedDocument {
        guard let previous, previous.etag == etag else { return self }
        return RenderedDocument(body: body, etag: etag, contentType: contentType, lastModified: previous.lastModifiedDate, headers: headers)
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

extension RenderedDocument {
    /// An Atom feed. Hidden and private blogs tell search engines not to index their feeds
    /// either; `links` is WebSub discovery (`rel="hub"`, `rel="self"`) for a topic.
    static func feed(xml: String, lastModified: Date, noindex: Bool, cacheControl: String, links: String? = nil) -> RenderedDocument {
        var headers: HTTPFields = [.cacheControl: cacheControl]
        if noindex { headers[.xRobotsTag] = "noindex" }
        if let links { headers[.link] = links }
        return RenderedDocument(bytes: Data(xml.utf8), contentType: AtomDocument.contentType, lastModified: lastModified, headers: headers)
    }
}

extension HTTPField.Name {
    static let xRobotsTag = HTTPField.Name("X-Robots-Tag")!
    static let link = HTTPField.Name("Link")!
}
