import FerryStore
import Foundation
import Hummingbird
import Synchronization

/// Slows down password guessing, one handle at a time (whether or not the handle exists, so
/// refusals say nothing about which handles do) — or one client address at a time, so that
/// rotating made-up handles does not buy unlimited bcrypt work. The first `freeFailures` failed attempts
/// cost nothing; every attempt after them first makes the handle wait `firstDelay`, doubling
/// with each further attempt up to `longestDelay`. While a handle waits, every sign-in with
/// it is refused (429, `Retry-After`) before any password is checked, the right one included.
/// A successful sign-in forgets the handle's failures.
///
/// An attempt counts as it starts, not when bcrypt has answered, so a burst of parallel
/// guesses is held to the same pace. That count is kept in memory (at most `handlesKept`
/// handles, the stalest forgotten first). Failures are also recorded in the database
/// (`SignInFailureStore`) and read before each attempt, so that every node of an installation —
/// and a restarted one — holds a handle or an address to the same pace: spreading guesses
/// over the nodes behind a load balancer buys nothing.
public final class SignInThrottle: Sendable {
    public struct Policy: Sendable {
        public var freeFailures = 5
        public var firstDelay: Duration = .seconds(1)
        public var longestDelay: Duration = .seconds(15 * 60)
        /// A handle's failures are forgotten this long after its last attempt.
        public var memory: Duration = .seconds(60 * 60)
        public var handlesKept = 100_000
        /// The time the throttle goes by (tests move a clock of their own instead of waiting).
        public var now: @Sendable () -> ContinuousClock.Instant = { .now }
        /// The same time as a date, for the failures shared with other nodes.
        public var date: @Sendable () -> Date = { Date() }

        public init() {}

        /// The pace of the failures shared with other nodes: the same rule.
        var pace: SignInPace {
            SignInPace(
                freeFailures: freeFailures, firstDelay: firstDelay.seconds, longestDelay: longestDelay.seconds, memory: memory.seconds)
        }
    }

    /// One attempt let in: what the throttle learned of it, for its outcome.
    struct Attempt: Sendable {
        /// The key of this node's count.
        let key: String
        /// The key of the failures every node records.
        let sharedKey: String
        /// Whether other failures of this key were recorded (a success then clears them).
        let hadSharedFailures: Bool
    }

    private struct Attempts {
        var unanswered: Int
        var last: ContinuousClock.Instant
        var waitUntil: ContinuousClock.Instant?
    }

    let policy: Policy
    /// What is throttled, for the refusal: "handle" or "address".
    let subject: String
    private let attempts = Mutex<[String: Attempts]>([:])
    let shared: any SignInFailureStore

    init(policy: Policy, subject: String = "handle", shared: any SignInFailureStore) {
        self.policy = policy
        self.subject = subject
        self.shared = shared
    }

    /// Counts an attempt to sign in as `handle`; throws 429 when the handle must wait first,
    /// by this node's count or by the failures every node recorded.
    func begin(_ handle: String) async throws -> Attempt {
        try beginHere(handle, at: policy.now())
        let key = sharedKey(handle)
        let now = policy.date()
        let failures = try await shared.signInFailures(of: [key], at: now, memory: policy.memory.seconds)[key]
        if let until = failures?.waitUntil, until > now {
            throw refusal(waiting: .seconds(until.timeIntervalSince(now)))
        }
        return Attempt(key: Self.key(handle), sharedKey: key, hadSharedFailures: failures != nil)
    }

    /// The password was wrong: every node hears of it.
    func failed(_ attempt: Attempt) async throws {
        try await shared.recordSignInFailure(of: attempt.sharedKey, pace: policy.pace, at: policy.date())
    }

    /// Counts an attempt on this node alone; throws 429 when this node makes the handle wait.
    func beginHere(_ handle: String, at now: ContinuousClock.Instant) throws(HTTPError) {
        let key = Self.key(handle)
        let wait: Duration? = attempts.withLock { attempts in
            var record = attempts[key].flatMap { $0.last + policy.memory > now ? $0 : nil } ?? Attempts(unanswered: 0, last: now)
            if let until = record.waitUntil, until > now { return until - now }
            record.unanswered += 1
            record.last = now
            let beyondFree = record.unanswered - policy.freeFailures
            if beyondFree > 0 {
                let doublings = min(beyondFree - 1, 30)
                record.waitUntil = now + min(policy.firstDelay * (1 << doublings), policy.longestDelay)
            }
            if attempts[key] == nil, attempts.count >= policy.handlesKept { forgetStalest(&attempts, now: now) }
            attempts[key] = record
            return nil
        }
        guard let wait else { return }
        throw refusal(waiting: wait)
    }

    private func refusal(waiting wait: Duration) -> HTTPError {
        let seconds = max(1, Int((wait + .milliseconds(999)).components.seconds))
        return HTTPError(
            .tooManyRequests, headers: [.retryAfter: "\(seconds)"],
            message: "too many failed sign-ins with this \(subject); try again in \(seconds) seconds"
        )
    }

    /// The password was right: the handle's failures are forgotten, here and everywhere.
    func succeeded(_ attempt: Attempt) async throws {
        _ = attempts.withLock { $0.removeValue(forKey: attempt.key) }
        if attempt.hadSharedFailures { try await shared.forgetSignInFailures(of: attempt.sharedKey) }
    }

    /// The password was right: this one attempt does not count. (An address keeps its other
    /// failures: signing in to one's own account must not buy guesses at others'.)
    func answered(_ attempt: Attempt) {
        attempts.withLock { attempts in
            guard var record = attempts[attempt.key] else { return }
            record.unanswered = max(0, record.unanswered - 1)
            attempts[attempt.key] = record
        }
    }

    /// Handles are compared as sign-in compares them (without case); bounded, since any text
    /// may be sent as a handle.
    private static func key(_ handle: String) -> String {
        String(handle.lowercased().prefix(64))
    }

    /// The key in the shared record: the subject first, so a handle and an address never meet.
    private func sharedKey(_ handle: String) -> String {
        "\(subject):\(Self.key(handle))"
    }

    /// Drops what has expired, and if that is not enough the older half.
    private func forgetStalest(_ attempts: inout [String: Attempts], now: ContinuousClock.Instant) {
        attempts = attempts.filter { $0.value.last + policy.memory > now }
        guard attempts.count >= policy.handlesKept else { return }
        let newest = attempts.sorted { $0.value.last > $1.value.last }.prefix(policy.handlesKept / 2)
        attempts = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
    }
}

extension Duration {
    /// The duration in seconds, fractions kept.
    var seconds: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
