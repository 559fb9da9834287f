import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /media/{hash}.{ext}`: a stored photo or video, to anyone who may read a post (or blog
/// library) that uses it — media of private posts stay private, a deleted post's go with it.
/// Content never changes under a hash: a reader's own browser keeps it for a year; shared
/// caches store it only to revalidate it every time (`no-cache`, answered `304` while it is
/// still readable), so a blog that turns private is out of every cache at once. Files are
/// streamed from disk, never read whole, and a single byte range is answered with `206`.
struct MediaController {
    let library: MediaLibrary
    let authenticator: Authenticator
    let fileIO = FileIO()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.mediaPattern), use: file)
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("file")
        let hash = String(name.prefix { $0 != "." })
        let notFound = FerryError(.notFound, "there is no medium at \(request.uri.path)")
        guard hash.count == 64, hash.allSatisfy(\.isHexDigit), hash == hash.lowercased() else { throw notFound }
        let reader = try await authenticator.feedReader(request, context)
        guard let media = try await library.readable(hash, by: reader) else { throw notFound }
        let etag = "\"\(hash)\""
        var headers: HTTPFields = [
            .contentType: media.contentType,
            .eTag: etag,
            .acceptRanges: "bytes",
            .cacheControl: reader == nil ? "public, no-cache" : "private, max-age=31536000, immutable",
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: "default-src 'none'; sandbox",
        ]
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: headers)
        }
        let path = library.file(hash).path
        // A range of an older copy (`If-Range` naming another validator) is no range at all.
        let ranged = request.headers[.ifRange].map { $0 == etag } ?? true
        switch ranged ? request.headers[.range].map({ ByteRange.parse($0, size: media.size) }) : nil {
        case .some(.satisfiable(let range)):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(media.size)"
            headers[.contentLength] = String(range.count)
            let body = try await fileIO.loadFile(path: path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        case .some(.unsatisfiable):
            headers[.contentRange] = "bytes */\(media.size)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .some(.ignored), .none:
            headers[.contentLength] = String(media.size)
            return Response(status: .ok, headers: headers, body: try await fileIO.loadFile(path: path, context: context))
        }
    }
}

/// One `Range: bytes=…` of a request (RFC 9110 §14), for a representation of `size` bytes.
enum ByteRange: Equatable {
    case satisfiable(ClosedRange<Int>)
    /// No byte of the representation is in the range: `416`.
    case unsatisfiable
    /// Not a single byte range ferry answers (another unit, several ranges, bad syntax): the
    /// whole representation, as if no range had been asked.
    case ignored

    static func parse(_ header: String, size: Int) -> ByteRange {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return .ignored }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }) else { return .ignored }
        switch (Int(parts[0]), Int(parts[1])) {
        case (.some(let first), let last):
            if let last, last < first { return .ignored }
            guard first < size else { return .unsatisfiable }
            return .satisfiable(first...min(last ?? size - 1, size - 1))
        case (.none, .some(let suffix)):
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, size - suffix)...(size - 1))
        case (.none, .none):
            return .ignored
        }
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
