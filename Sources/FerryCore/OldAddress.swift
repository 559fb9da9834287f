import Foundation

/// An address of the old blog, in the form redirects are recorded and looked up: the host in
/// lowercase without a trailing dot, the path without a trailing slash and percent-encoded as
/// RFC 3986 §6.2.2 normalises it, and the query only where it names a post (WordPress's
/// `?p=123` and `?page_id=123`). WordPress writes lower-case escapes, browsers send upper
/// case, and a pasted link may hold the raw UTF-8: all three find the same address.
public struct OldAddress: Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let path: String

    /// Query parameters that identify a post on the old host.
    public static let postQueries: Set<String> = ["p", "page_id"]

    public init(host: String, path: String) {
        var host = host.lowercased()
        while host.hasSuffix(".") { host.removeLast() }
        self.host = host
        self.path = Self.normalized(path)
    }

    /// The old address of an absolute http(s) URL, or nil for anything else.
    public init?(url text: String) {
        let text = text.trimmingWhiteSpace()
        guard let address = Self.plainAddress(text) ?? Self.parsedAddress(PercentEncoding.encodingDisallowed(text)) else { return nil }
        self = address
    }

    /// The address of `text` read by `URLComponents`, for any URL.
    static func parsedAddress(_ text: String) -> OldAddress? {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        var path = components.percentEncodedPath
        if let item = components.queryItems?.first(where: { postQueries.contains($0.name) }), let value = item.value, !value.isEmpty {
            path += "?\(item.name)=\(value)"
        }
        return OldAddress(host: host, path: path)
    }

    /// The address of an http(s) URL made of letters, digits and `-._~/:?=&#` only, read on its
    /// bytes; nil for any other text, which `parsedAddress` reads. Every post of an import has
    /// two or three old addresses, and `URLComponents` was a tenth of reading an export.
    static func plainAddress(_ text: String) -> OldAddress? {
        var text = text
        return text.withUTF8(plainAddress(bytes:))
    }

    private static func plainAddress(bytes: UnsafeBufferPointer<UInt8>) -> OldAddress? {
        guard bytes.allSatisfy(isPlain) else { return nil }
        let hostStart: Int
        if bytes.starts(with: "http://".utf8) || bytes.starts(with: "HTTP://".utf8) {
            hostStart = 7
        } else if bytes.starts(with: "https://".utf8) || bytes.starts(with: "HTTPS://".utf8) {
            hostStart = 8
        } else {
            return nil
        }
        func first(_ byte: UInt8, in range: Range<Int>) -> Int? { range.first { bytes[$0] == byte } }
        let authorityEnd =
            (hostStart..<bytes.count).first { bytes[$0] == UInt8(ascii: "/") || bytes[$0] == UInt8(ascii: "?") || bytes[$0] == UInt8(ascii: "#") }
            ?? bytes.count
        let hostEnd = first(UInt8(ascii: ":"), in: hostStart..<authorityEnd) ?? authorityEnd
        let port = bytes[min(hostEnd + 1, authorityEnd)..<authorityEnd]
        guard hostEnd > hostStart, port.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let fragment = first(UInt8(ascii: "#"), in: authorityEnd..<bytes.count) ?? bytes.count
        let queryMark = first(UInt8(ascii: "?"), in: authorityEnd..<fragment) ?? fragment
        // Already in the recorded form but for the host's case and trailing dots and the path's
        // trailing slashes, so only those are changed.
        var routeEnd = queryMark
        while routeEnd > authorityEnd, bytes[routeEnd - 1] == UInt8(ascii: "/") { routeEnd -= 1 }
        var route = String(decoding: UnsafeBufferPointer(rebasing: bytes[authorityEnd..<routeEnd]), as: UTF8.self)
        if queryMark < fragment, let kept = postQuery(UnsafeBufferPointer(rebasing: bytes[(queryMark + 1)..<fragment])) { route += kept }
        var trimmedHostEnd = hostEnd
        while trimmedHostEnd > hostStart, bytes[trimmedHostEnd - 1] == UInt8(ascii: ".") { trimmedHostEnd -= 1 }
        let host = String(unsafeUninitializedCapacity: trimmedHostEnd - hostStart) { text in
            for offset in 0..<(trimmedHostEnd - hostStart) { text[offset] = lowercased(bytes[hostStart + offset]) }
            return trimmedHostEnd - hostStart
        }
        return OldAddress(normalizedHost: host, path: route)
    }

    /// `?name=value` for the first query parameter that names a post and has a value.
    private static func postQuery(_ query: UnsafeBufferPointer<UInt8>) -> String? {
        for parameter in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            let nameEnd = parameter.firstIndex(of: UInt8(ascii: "=")) ?? parameter.endIndex
            let name = String(decoding: parameter[..<nameEnd], as: UTF8.self)
            guard postQueries.contains(name) else { continue }
            guard nameEnd < parameter.endIndex, parameter.index(after: nameEnd) < parameter.endIndex else { return nil }
            return "?\(name)=" + String(decoding: parameter[parameter.index(after: nameEnd)...], as: UTF8.self)
        }
        return nil
    }

    private init(normalizedHost: String, path: String) {
        host = normalizedHost
        self.path = path
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: ":"),
            UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "#"):
            true
        default:
            false
        }
    }

    /// No trailing slash (the root is the empty path); the query, if kept, follows as is.
    private static func normalized(_ path: String) -> String {
        let mark = path.firstIndex(of: "?") ?? path.endIndex
        var route = String(path[..<mark])
        while route.hasSuffix("/") { route.removeLast() }
        if !route.isEmpty, !route.hasPrefix("/") { route = "/" + route }
        return PercentEncoding.normalized(route + path[mark...])
    }

    public var description: String { "\(host)\(path)" }
}
