import Foundation

/// How failed sign-ins slow the next ones: the first `freeFailures` cost nothing; each later
/// one makes the key wait `firstDelay`, doubling up to `longestDelay`. Failures older than
/// `memory` are forgotten.
public struct SignInPace: Sendable, Equatable {
    public var freeFailures: Int
    public var firstDelay: TimeInterval
    public var longestDelay: TimeInterval
    public var memory: TimeInterval

    public init(freeFailures: Int, firstDelay: TimeInterval, longestDelay: TimeInterval, memory: TimeInterval) {
        self.freeFailures = freeFailures
        self.firstDelay = firstDelay
        self.longestDelay = longestDelay
        self.memory = memory
    }

    /// Until when a key with `failures` failures in a row must wait; nil while they are free.
    public func waitUntil(afterFailures failures: Int, at now: Date) -> Date? {
        let beyondFree = failures - freeFailures
        guard beyondFree > 0 else { return nil }
        return now.addingTimeInterval(min(firstDelay * Double(1 << min(beyondFree - 1, 30)), longestDelay))
    }
}

/// A key's failed sign-ins as every node recorded them.
public struct SignInFailures: Sendable, Equatable {
    public var count: Int
    public var waitUntil: Date?

    public init(count: Int, waitUntil: Date?) {
        self.count = count
        self.waitUntil = waitUntil
    }
}

/// Failed sign-ins, counted where every node sees them, so that spreading guesses over the
/// nodes behind a load balancer buys nothing. Only failures are written: a sign-in that
/// succeeds costs one read (and a write only when it clears earlier failures).
public protocol SignInFailureStore: Sendable {
    /// The failures recorded within `memory` before `now`, for those of `keys` that have any.
    func signInFailures(of keys: [String], at now: Date, memory: TimeInterval) async throws -> [String: SignInFailures]
    /// Records one more failure of `key` (a first one if its last is older than the pace's
    /// memory), and forgets keys whose last failure is.
    func recordSignInFailure(of key: String, pace: SignInPace, at now: Date) async throws
    /// Forgets the failures of `key` (its password was right).
    func forgetSignInFailures(of key: String) async throws
}
