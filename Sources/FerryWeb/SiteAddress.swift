import FerryCore
import FerryStore
import Foundation
import Hummingbird
import Synchronization

/// The site's absolute address, for links that leave the page (feeds, sitemaps, redirects).
/// With `--base-url` it is fixed; otherwise it is `http://HOST:PORT`, and with port 0 the
/// port is only known once the server is listening, so it is read when needed, not copied.
final class SiteAddress: Sendable {
    /// The URL and its host, parsed once per change rather than on every use.
    private let address: Mutex<(url: String, host: String?)>
    private let isConfigured: Bool
    /// The authority of the `tag:` ids (RFC 4151) of the Atom entries ferry writes: the site's
    /// host when the installation first started, kept however the site is reached later, so
    /// that ids never change (RFC 4287 §4.2.6) and readers never show an entry twice.
    let idAuthority: String

    init(_ configuration: FerryConfiguration, idAuthority: String) {
        address = Mutex(Self.parsed(configuration.siteURL()))
        isConfigured = configuration.baseURL != nil
        self.idAuthority = idAuthority
    }

    /// The site's host as it is now, which `idAuthority` is fixed to at the first start.
    static func host(_ configuration: FerryConfiguration) -> String {
        parsed(configuration.siteURL()).host ?? "ferry"
    }

    /// The site setting that keeps `idAuthority`.
    static let idAuthoritySetting = "atom-id-authority"

    /// `idAuthority`, fixed to the host of the first start.
    static func idAuthority(_ configuration: FerryConfiguration, database: any Store) async throws -> String {
        try await database.fixedSetting(idAuthoritySetting, initial: host(configuration))
    }

    /// The address without a trailing slash.
    var url: String { address.withLock { $0.url } }

    /// The host in `OldAddress` form, to tell the site's own requests from old hosts'.
    var host: String? { address.withLock { $0.host } }

    /// The hosts that are this site's: the one it is reached at and the one it first started
    /// at. Old addresses on them are never recorded or redirected.
    var ownHosts: Set<String> { Set([host, idAuthority].compactMap { $0 }) }

    /// Whether a request's `Host` (with any port) names this site: the common case, told without
    /// parsing a URL. False when unsure; `ownHosts` is the full rule.
    func isOwn(authority: String) -> Bool {
        var host = Substring(authority).utf8
        if host.first != UInt8(ascii: "["), let colon = host.lastIndex(of: UInt8(ascii: ":")) { host = host[..<colon] }
        while host.last == UInt8(ascii: ".") { host = host.dropLast() }
        return Self.isSameHost(host, as: self.host) || Self.isSameHost(host, as: idAuthority)
    }

    /// Compares without allocating: every request asks. `own` is in `OldAddress` form (lowercase).
    private static func isSameHost(_ host: Substring.UTF8View, as own: String?) -> Bool {
        guard let own else { return false }
        return host.elementsEqual(own.utf8) { byte, ownByte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z") ~= byte ? byte | 0x20 : byte) == ownByte
        }
    }

    private static func parsed(_ url: String) -> (url: String, host: String?) {
        (url, URLComponents(string: url)?.host.map { OldAddress(host: $0, path: "").host })
    }

    var usesTLS: Bool { url.hasPrefix("https://") }

    /// Whether `request` reached the site over TLS (directly, or through the front proxy), so
    /// its cookies get `Secure`.
    func isSecure(_ request: Request) -> Bool {
        usesTLS || request.headers[.xForwardedProto]?.lowercased() == "https"
    }

    /// Records the port the server listens on, unless a base URL was configured.
    func bound(_ configuration: FerryConfiguration, port: Int) {
        guard !isConfigured else { return }
        address.withLock { $0 = Self.parsed(configuration.siteURL(port: port)) }
    }
}

extension FerryConfiguration {
    /// The site's own hosts (see `SiteAddress.ownHosts`), for commands run beside the server.
    public func ownHosts(in database: any Store) async throws -> Set<String> {
        [SiteAddress.host(self), try await SiteAddress.idAuthority(self, database: database)]
    }
}
