import FerryCore
import FerryImport
import FerryPostgres
import FerryStore
import Foundation
import Logging
import NIOCore

/// Everything an operator can set. Defaults suit `swift run ferry serve` on a laptop;
/// `init(environment:)` reads `FERRY_*` variables, and command-line flags override both.
public struct FerryConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 asks the system for any free port (tests and benchmarks use that).
    public var port = 8080
    /// Holds the SQLite database (unless `database` names another), stored media, and the
    /// files of migrations in progress: with several nodes, a folder they share.
    public var dataDirectory = URL(fileURLWithPath: "data")
    /// The PostgreSQL database (`postgres://USER@HOST:PORT/DB`) every node shares; nil for
    /// SQLite in `dataDirectory`.
    public var database: PostgresAddress?
    /// Holds `templates/` and `static/`.
    public var publicDirectory = URL(fileURLWithPath: "public")
    /// Where the current Atom document of every public and hidden blog is written as
    /// `{slug}.atom`, for a static server or CDN to serve.
    public var feedsDirectory = URL(fileURLWithPath: "feeds")
    /// The absolute URL readers reach the site at (feeds and sitemaps need absolute links);
    /// defaults to `http://HOST:PORT`.
    public var baseURL: String?
    /// bcrypt work factor for new password hashes; each step doubles the cost of a sign-in.
    public var bcryptCost: UInt8 = 12
    /// Largest JSON request body accepted, in bytes.
    public var maxJSONBodyBytes = 1 << 20
    /// Largest post or comment HTML accepted, in bytes.
    public var maxPostHTMLBytes = 1 << 20
    /// After this time new migrations are refused (410); until then owners are told how long is left.
    public var migrationWindow = MigrationWindow()
    /// Whether imports fetch the photos and videos posts use (off: they keep their old addresses).
    public var fetchMedia = true
    /// Lets imports fetch media from loopback and private addresses (tests, closed networks).
    public var allowPrivateMediaAddresses = false
    /// Vouches for every importer's claims on old addresses (closed networks, tests): they
    /// redirect at once instead of after the owner verifies the old site.
    public var trustOldAddresses = false
    /// Largest blog export accepted by `POST /api/migrations`, in bytes (streamed to disk).
    public var maxImportBytes = 2 << 30
    /// How many photos, videos and sounds one migration moves, and how many bytes of them.
    public var migrationMediaLimits = MediaMover.Limits()
    /// One deadline for each medium's whole fetch.
    public var mediaFetchTimeout: Duration = .seconds(20)
    /// How many migrations run at once (their media are fetched side by side; their writes
    /// take turns).
    public var migrationsSideBySide = 2
    /// How often a migration interrupted by a stopped server is started again before it fails.
    public var migrationAttempts = 3
    /// How long a running migration stays its runner's without a renewal: when its process
    /// dies, another runner (or this one restarted) takes it over after at most about this long.
    public var migrationLease: Duration = .seconds(30)
    /// How long an upload waits for its owner's confirmation before it expires.
    public var uploadLifetime: Duration = .seconds(24 * 3600)
    /// How many uploads, and bytes of them, one owner may have waiting to run.
    public var pendingUploads = PendingUploadLimits()
    /// How large one uploaded photo or video may be, and how many bytes of them one identity keeps.
    public var mediaUploads = UploadLimits()
    /// How often the server looks for changes other processes made to the database (a
    /// `ferry import --merge` beside it), to re-render what they made stale.
    public var changeFollowInterval: Duration = .milliseconds(250)
    /// How long a session token stays valid.
    public var sessionLifetime: Duration = .seconds(30 * 24 * 3600)
    /// How failed sign-ins slow down further attempts with the same handle.
    public var signInThrottle = SignInThrottle.Policy()
    /// How failed password checks slow down further ones from the same client address:
    /// more are free than per handle, since many people may share one address.
    public var clientSignInThrottle: SignInThrottle.Policy = {
        var policy = SignInThrottle.Policy()
        policy.freeFailures = 100
        return policy
    }()
    /// The WebSub hub at `/websub`: leases, limits, how deliveries are signed, an external hub.
    public var webSub = WebSubSettings()
    /// Memory for the pages anonymous readers see, rendered once per change (`PageCache`).
    public var pageCacheBytes = 64 << 20
    public var logLevel: Logger.Level = .info

    public static let bcryptCostRange: ClosedRange<UInt8> = 4...31

    public init() {}

    /// Where stored photos and videos live.
    public var mediaDirectory: URL { dataDirectory.appendingPathComponent("media") }

    /// The limits media fetching works within.
    public var mediaLimits: MediaFetcher.Limits {
        var limits = MediaFetcher.Limits()
        limits.allowPrivateAddresses = allowPrivateMediaAddresses
        limits.timeout = .seconds(mediaFetchTimeout.components.seconds)
        return limits
    }

    /// How imports claim old roots: `ownHosts` are the site's own, never redirected.
    public func claimPolicy(ownHosts: Set<String>) -> ClaimPolicy {
        ClaimPolicy(trustEveryImporter: trustOldAddresses, ownHosts: ownHosts)
    }

    /// How exports are imported here, by the migration worker and `ferry import` alike: media
    /// fetched with `fetcher` (unless fetching is off) within the per-migration limits, old
    /// roots claimed as `claimPolicy` says, posts and comments up to the post size limit.
    public func importFlow(database: any Store, fetcher: MediaFetcher, ownHosts: Set<String>) -> ImportFlow {
        ImportFlow(
            database: database,
            media: MediaMover(
                fetcher: fetchMedia ? fetcher : nil, library: MediaLibrary(database: database, directory: mediaDirectory),
                limits: migrationMediaLimits
            ),
            claims: claimPolicy(ownHosts: ownHosts), maxHTMLBytes: maxPostHTMLBytes
        )
    }

    /// A PostgreSQL address; the reason it is not one names `field` (and never the password).
    public static func validDatabase(_ text: String, field: String) throws(FerryError) -> PostgresAddress {
        do {
            return try PostgresAddress(text)
        } catch {
            throw .invalid(field, "\(field): \(error.message)")
        }
    }

    /// An absolute http(s) URL of a hosted WebSub hub.
    public static func validHub(_ text: String, field: String) throws(FerryError) -> String {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.fragment == nil else {
            throw .invalid(field, "must be the absolute http(s) URL of a WebSub hub, such as https://pubsubhubbub.appspot.com/, not '\(text)'")
        }
        return text
    }

    /// How callbacks are reached: as carefully as media, within the hub's deadline.
    var callbackClient: CallbackClient {
        var client = CallbackClient()
        client.allowPrivateAddresses = allowPrivateMediaAddresses
        client.timeout = webSub.callbackTimeout
        return client
    }

    /// An RFC 3339 time such as 2011-03-31T00:00:00Z.
    public static func validCutoff(_ text: String, field: String) throws(FerryError) -> Date {
        guard
            let date = (try? Date(text, strategy: .iso8601))
                ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        else {
            throw .invalid(field, "must be an RFC 3339 time such as 2011-03-31T00:00:00Z, not '\(text)'")
        }
        return date
    }

    /// An absolute http(s) URL with no query or fragment, suitable as `baseURL`.
    public static func validBaseURL(_ text: String, field: String) throws(FerryError) -> String {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
            url.query == nil, url.fragment == nil
        else {
            throw .invalid(field, "must be an absolute http(s) URL such as https://blogs.example.org, not '\(text)'")
        }
        return text
    }

    /// `baseURL` without a trailing slash, or the address the server listens on.
    public func siteURL(port actualPort: Int? = nil) -> String {
        if let baseURL { return baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL }
        return "http://\(host):\(actualPort ?? port)"
    }

    /// The defaults, overridden by any `FERRY_*` variables present in `environment`.
    public init(environment: [String: String]) throws(FerryError) {
        // Built aside and assigned once: a throwing initialiser that assigned its stored
        // properties one by one crashed the debug build when it threw.
        var configuration = FerryConfiguration()
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        func integer(_ name: String, in range: ClosedRange<Int>) throws(FerryError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw .invalid(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            return number
        }
        if let host = value("FERRY_HOST") { configuration.host = host }
        if let port = try integer("FERRY_PORT", in: 0...65_535) { configuration.port = port }
        if let data = value("FERRY_DATA") { configuration.dataDirectory = URL(fileURLWithPath: data) }
        if let database = value("FERRY_DATABASE_URL") { configuration.database = try Self.validDatabase(database, field: "FERRY_DATABASE_URL") }
        if let publicPath = value("FERRY_PUBLIC") { configuration.publicDirectory = URL(fileURLWithPath: publicPath) }
        if let feeds = value("FERRY_FEEDS") { configuration.feedsDirectory = URL(fileURLWithPath: feeds) }
        if let base = value("FERRY_BASE_URL") { configuration.baseURL = try Self.validBaseURL(base, field: "FERRY_BASE_URL") }
        let costRange = Int(Self.bcryptCostRange.lowerBound)...Int(Self.bcryptCostRange.upperBound)
        if let cost = try integer("FERRY_BCRYPT_COST", in: costRange) { configuration.bcryptCost = UInt8(cost) }
        if let bytes = try integer("FERRY_MAX_BODY_BYTES", in: 1_024...(1 << 30)) { configuration.maxJSONBodyBytes = bytes }
        if let bytes = try integer("FERRY_MAX_POST_BYTES", in: 1_024...(1 << 30)) { configuration.maxPostHTMLBytes = bytes }
        if let cutoff = value("FERRY_MIGRATIONS_CLOSE_AT") {
            configuration.migrationWindow.closesAt = try Self.validCutoff(cutoff, field: "FERRY_MIGRATIONS_CLOSE_AT")
        }
        if value("FERRY_ALLOW_PRIVATE_MEDIA") == "1" { configuration.allowPrivateMediaAddresses = true }
        if value("FERRY_FETCH_MEDIA") == "0" { configuration.fetchMedia = false }
        if value("FERRY_TRUST_OLD_ADDRESSES") == "1" { configuration.trustOldAddresses = true }
        if let bytes = try integer("FERRY_MAX_IMPORT_BYTES", in: 1_024...(1 << 40)) { configuration.maxImportBytes = bytes }
        if let count = try integer("FERRY_MAX_MIGRATION_MEDIA", in: 0...10_000_000) { configuration.migrationMediaLimits.maxMedia = count }
        if let bytes = try integer("FERRY_MAX_MIGRATION_MEDIA_BYTES", in: 0...(1 << 50)) { configuration.migrationMediaLimits.maxTotalBytes = bytes }
        if let hours = try integer("FERRY_SESSION_HOURS", in: 1...(24 * 366)) { configuration.sessionLifetime = .seconds(hours * 3600) }
        if let seconds = try integer("FERRY_MEDIA_TIMEOUT", in: 1...3600) { configuration.mediaFetchTimeout = .seconds(seconds) }
        if let count = try integer("FERRY_MIGRATIONS_SIDE_BY_SIDE", in: 1...64) { configuration.migrationsSideBySide = count }
        if let count = try integer("FERRY_MIGRATION_ATTEMPTS", in: 1...100) { configuration.migrationAttempts = count }
        if let seconds = try integer("FERRY_MIGRATION_LEASE_SECONDS", in: 1...3600) { configuration.migrationLease = .seconds(seconds) }
        if let hours = try integer("FERRY_UPLOAD_HOURS", in: 1...(24 * 366)) { configuration.uploadLifetime = .seconds(hours * 3600) }
        if let count = try integer("FERRY_MAX_PENDING_UPLOADS", in: 1...1_000) { configuration.pendingUploads.count = count }
        if let bytes = try integer("FERRY_MAX_PENDING_UPLOAD_BYTES", in: 1_024...(1 << 50)) { configuration.pendingUploads.bytes = bytes }
        if let bytes = try integer("FERRY_MAX_MEDIA_UPLOAD_BYTES", in: 1_024...(1 << 40)) { configuration.mediaUploads.maxBytes = bytes }
        if let bytes = try integer("FERRY_MEDIA_UPLOAD_QUOTA_BYTES", in: 0...(1 << 50)) { configuration.mediaUploads.quotaBytes = bytes }
        if let bytes = try integer("FERRY_PAGE_CACHE_BYTES", in: 0...(1 << 40)) { configuration.pageCacheBytes = bytes }
        if let level = value("FERRY_LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalid("FERRY_LOG_LEVEL", "must be one of \(names), not '\(level)'")
            }
            configuration.logLevel = parsed
        }
        if let hub = value("FERRY_WEBSUB_HUB") { configuration.webSub.externalHub = try Self.validHub(hub, field: "FERRY_WEBSUB_HUB") }
        if let method = value("FERRY_WEBSUB_SIGNATURE") {
            guard let signature = HubSignature(rawValue: method.lowercased()) else {
                throw .invalid("FERRY_WEBSUB_SIGNATURE", "must be one of \(HubSignature.allCases.map(\.rawValue).joined(separator: ", ")), not '\(method)'")
            }
            configuration.webSub.signature = signature
        }
        if let count = try integer("FERRY_WEBSUB_MAX_PER_TOPIC", in: 1...10_000_000) { configuration.webSub.limits.perTopic = count }
        if let count = try integer("FERRY_WEBSUB_MAX_PER_HOST", in: 1...10_000_000) { configuration.webSub.limits.perCallbackHost = count }
        self = configuration
    }
}
