import FerryCore
import Foundation
import Synchronization

/// The site's absolute address, for links that leave the page (feeds, sitemaps, redirects).
/// With `--base-url` it is fixed; otherwise it is `http://HOST:PORT`, and with port 0 the
/// port is only known once the server is listening, so it is read when needed, not copied.
final class SiteAddress: Sendable {
    private let address: Mutex<String>
    private let isConfigured: Bool

    init(_ configuration: FerryConfiguration) {
        address = Mutex(configuration.siteURL())
        isConfigured = configuration.baseURL != nil
    }

    /// The address without a trailing slash.
    var url: String { address.withLock { $0 } }

    /// The host in `OldAddress` form, to tell the site's own requests from old hosts'.
    var host: String? {
        URLComponents(string: url)?.host.map { OldAddress(host: $0, path: "").host }
    }

    var usesTLS: Bool { url.hasPrefix("https://") }

    /// Records the port the server listens on, unless a base URL was configured.
    func bound(_ configuration: FerryConfiguration, port: Int) {
        guard !isConfigured else { return }
        address.withLock { $0 = configuration.siteURL(port: port) }
    }
}
