import Foundation

/// The root of an old blog — scheme, host and path prefix — which an identity claims before
/// the old addresses under it lead to the identity's blogs. The path is kept in `OldAddress`
/// form: no trailing slash, the empty path for a whole host.
public struct OldRoot: Hashable, Sendable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    /// A port other than the scheme's own, where the old site answered: only for fetching
    /// the verification, since requests to an old host name arrive on ferry's own port.
    public let port: Int?
    public let path: String

    /// The root at `address`, without any query: `?p=` names a post, not a blog.
    public init(scheme: String, address: OldAddress, port: Int? = nil) {
        self.scheme = scheme.lowercased() == "https" ? "https" : "http"
        host = address.host
        self.port = port
        path = String(address.path.prefix { $0 != "?" })
    }

    /// The root named by an absolute http(s) URL, or nil for anything else.
    public init?(url text: String) {
        guard let address = OldAddress(url: text) else { return nil }
        let scheme = text.trimmingWhiteSpace().lowercased().hasPrefix("https:") ? "https" : "http"
        let port = URLComponents(string: PercentEncoding.encodingDisallowed(text.trimmingWhiteSpace()))?.port
        self.init(scheme: scheme, address: address, port: port == (scheme == "https" ? 443 : 80) ? nil : port)
    }

    /// The root of another address on the same site: its scheme and port, the whole host.
    public func root(ofHost address: OldAddress) -> OldRoot {
        OldRoot(scheme: scheme, address: OldAddress(host: address.host, path: ""), port: address.host == host ? port : nil)
    }

    /// Whether `address` lies under this root: the root itself, or a path below it, or a
    /// query on it.
    public func covers(_ address: OldAddress) -> Bool {
        address.host == host && Self.isPrefix(path, of: address.path)
    }

    /// Whether one of the two roots lies under the other: a claim on either decides for both.
    public func overlaps(_ other: OldRoot) -> Bool {
        host == other.host && (Self.isPrefix(path, of: other.path) || Self.isPrefix(other.path, of: path))
    }

    private static func isPrefix(_ root: String, of path: String) -> Bool {
        guard path.hasPrefix(root) else { return false }
        let rest = path.dropFirst(root.count)
        return rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?")
    }

    /// The old home page, where the owner puts the verification `<meta>`.
    public var url: String { "\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")\(path)/" }

    public var description: String { url }
}

/// An identity's claim on an old root. Only a verified claim makes the old addresses under
/// its root redirect; until then the owner proves control of the old site with `token`.
public struct OldRootClaim: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case pending
        case verified
    }

    public var id: Int64
    public var root: OldRoot
    public var identity: IdentityID
    public var token: String
    public var status: Status
    /// How it was verified: `page` (the meta element), `file`, `operator`, `trusted` (the
    /// installation vouches for every importer) or `existing` (recorded before claims).
    public var verifiedBy: String?

    public init(id: Int64, root: OldRoot, identity: IdentityID, token: String, status: Status, verifiedBy: String?) {
        self.id = id
        self.root = root
        self.identity = identity
        self.token = token
        self.status = status
        self.verifiedBy = verifiedBy
    }

    /// The element to put in the `<head>` of the old home page.
    public var metaElement: String { "<meta name=\"\(Self.metaName)\" content=\"\(token)\">" }

    /// Where a file holding just the token may be put instead.
    public var fileURL: String { root.url + Self.fileName }

    public static let metaName = "ferry-verification"
    public static let fileName = "ferry-verification.txt"
}
