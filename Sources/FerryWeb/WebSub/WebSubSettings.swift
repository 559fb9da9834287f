import Crypto
import FerryCore
import FerryStore
import Foundation

/// How the installation's WebSub hub behaves.
public struct WebSubSettings: Sendable {
    /// The lease a subscriber gets when it asks for none.
    public var defaultLease: TimeInterval = 10 * 24 * 3600
    /// No lease is shorter (a subscriber renewing every second would be busy work) or longer
    /// (every subscription ends unless renewed).
    public var leaseRange: ClosedRange<TimeInterval> = 60...(30 * 24 * 3600)
    public var limits = WebSubLimits()
    /// How deliveries to subscribers that gave a secret are signed (`X-Hub-Signature`).
    public var signature = HubSignature.sha256
    /// A hosted hub to advertise beside this one and to ping on every change.
    public var externalHub: String?
    /// One deadline for each request to a callback, answer included.
    public var callbackTimeout: Duration = .seconds(10)
    /// The first retry of a failed delivery waits this long; each further one twice as long,
    /// up to `maximumRetryDelay`, for as long as the lease lasts.
    public var firstRetryDelay: TimeInterval = 10
    public var maximumRetryDelay: TimeInterval = 6 * 3600
    /// How many requests to callbacks are under way at once: a slow callback holds one.
    public var requestsSideBySide = 64
    /// Verifications of intent tried this often before a request is dropped.
    public var verificationAttempts = 3

    public init() {}

    /// The lease for a request that asked for `requested` seconds.
    func lease(_ requested: Int?) -> Int {
        Int(requested.map { min(max(TimeInterval($0), leaseRange.lowerBound), leaseRange.upperBound) } ?? defaultLease)
    }

    /// How long to wait before the retry that follows `attempts` failed ones.
    func retryDelay(after attempts: Int) -> TimeInterval {
        min(firstRetryDelay * pow(2, Double(min(attempts, 30))), maximumRetryDelay)
    }
}

/// The HMAC of a delivered body, keyed with the subscriber's secret (WebSub §7.1): the
/// header's value is `method=hexdigest`.
public enum HubSignature: String, Sendable, CaseIterable {
    case sha1, sha256, sha384, sha512

    public func header(for body: some DataProtocol, secret: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let digest: [UInt8] =
            switch self {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: body, using: key))
            case .sha384: Array(HMAC<SHA384>.authenticationCode(for: body, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: body, using: key))
            }
        return "\(rawValue)=\(digest.hexadecimal)"
    }
}
