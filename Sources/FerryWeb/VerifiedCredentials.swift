import Crypto
import FerryCore
import FerryStore
import Foundation
import Synchronization

/// Handle and password pairs verified a moment ago, so that a feed reader polling with HTTP
/// Basic costs bcrypt once every `lifetime`, not once per request. A pair is kept only as an
/// HMAC under a key that lives in this process alone, with the password hash it was checked
/// against: a changed password no longer matches. Bounded: the oldest half goes when full.
final class VerifiedCredentials: Sendable {
    private struct Entry {
        var identity: IdentityID
        var passwordHash: String
        var until: ContinuousClock.Instant
    }

    let lifetime: Duration
    let capacity: Int
    let now: @Sendable () -> ContinuousClock.Instant
    /// The HMAC key's bytes (`SymmetricKey` is not `Sendable`).
    private let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    private let entries = Mutex<[Data: Entry]>([:])

    init(lifetime: Duration = .seconds(5 * 60), capacity: Int = 10_000, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.now = now
    }

    func recognises(handle: String, password: String, as stored: Credentials) -> Bool {
        let digest = digest(handle, password)
        let now = now()
        return entries.withLock { entries in
            guard let entry = entries[digest] else { return false }
            guard entry.until > now, entry.passwordHash == stored.passwordHash, entry.identity == stored.identityID else {
                entries[digest] = nil
                return false
            }
            return true
        }
    }

    func remember(handle: String, password: String, as stored: Credentials) {
        let digest = digest(handle, password)
        let now = now()
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.until > now }
                if entries.count >= capacity {
                    let kept = entries.sorted { $0.value.until > $1.value.until }.prefix(capacity / 2)
                    entries = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
                }
            }
            entries[digest] = Entry(identity: stored.identityID, passwordHash: stored.passwordHash, until: now + lifetime)
        }
    }

    private func digest(_ handle: String, _ password: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("\(handle.lowercased())\u{0}\(password)".utf8), using: SymmetricKey(data: key)))
    }
}
