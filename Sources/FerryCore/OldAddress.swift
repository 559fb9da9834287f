import Foundation

/// An address of the old blog, in the form redirects are recorded and looked up: the host in
/// lowercase without a trailing dot, the path without a trailing slash, and the query only
/// where it names a post (WordPress's `?p=123` and `?page_id=123`).
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
        guard let address = Self.plainAddress(text) ?? Self.parsedAddress(text) else { return nil }
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
        let bytes = text.utf8
        guard bytes.allSatisfy(isPlain) else { return nil }
        let schemeLength: Int
        if bytes.starts(with: "http://".utf8) || bytes.starts(with: "HTTP://".utf8) {
            schemeLength = 4
        } else if bytes.starts(with: "https://".utf8) || bytes.starts(with: "HTTPS://".utf8) {
            schemeLength = 5
        } else {
            return nil
        }
        let rest = Substring(text).utf8.dropFirst(schemeLength + 3)
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let host = authority.prefix { $0 != UInt8(ascii: ":") }
        let port = authority.dropFirst(host.count + 1)
        guard !host.isEmpty, port.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let beyond = rest[authorityEnd...].prefix { $0 != UInt8(ascii: "#") }
        let path = beyond.prefix { $0 != UInt8(ascii: "?") }
        // Already in the recorded form but for the host's case and trailing dots and the path's
        // trailing slashes, so only those are changed.
        let routeEnd = path.lastIndex { $0 != UInt8(ascii: "/") }.map(path.index(after:)) ?? path.startIndex
        var route = String(Substring(path[..<routeEnd]))
        if path.count < beyond.count, let kept = postQuery(beyond.dropFirst(path.count + 1)) { route += kept }
        let hostEnd = host.lastIndex { $0 != UInt8(ascii: ".") }.map(host.index(after:)) ?? host.startIndex
        let lowercasedHost = String(decoding: host[..<hostEnd].lazy.map(lowercased), as: UTF8.self)
        return OldAddress(normalizedHost: lowercasedHost, path: route)
    }

    private init(normalizedHost: String, path: String) {
        host = normalizedHost
        self.path = path
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// `?name=value` for the first query parameter that names a post and has a value.
    private static func postQuery(_ query: Substring.UTF8View) -> String? {
        for parameter in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            let name = String(Substring(parameter.prefix { $0 != UInt8(ascii: "=") }))
            guard postQueries.contains(name) else { continue }
            guard name.utf8.count < parameter.count else { return nil }
            let value = parameter.dropFirst(name.utf8.count + 1)
            return value.isEmpty ? nil : "?\(name)=\(Substring(value))"
        }
        return nil
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
        return route + path[mark...]
    }

    public var description: String { "\(host)\(path)" }
}
