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
        guard let components = URLComponents(string: text.trimmingWhiteSpace()),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else { return nil }
        var path = components.percentEncodedPath
        if let item = components.queryItems?.first(where: { Self.postQueries.contains($0.name) }), let value = item.value, !value.isEmpty {
            path += "?\(item.name)=\(value)"
        }
        self.init(host: host, path: path)
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
