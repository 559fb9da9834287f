/// A client's `Idempotency-Key` for one write that creates something: the same request sent
/// again with the same key — by a load balancer to another node after the first one died, or
/// by a client after a timeout — answers what the first one created instead of creating it
/// twice. The key is claimed in the write's own transaction, so a write either happened with
/// its key or not at all.
public struct RequestKey: Sendable, Hashable {
    /// Whose key it is (an identity, or a visitor's address): keys of different callers never meet.
    public var scope: String
    public var key: String
    /// A digest of what was asked: the same key with a different request is refused.
    public var fingerprint: String

    public init(scope: String, key: String, fingerprint: String) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
    }

    /// How long a key is remembered: retries come within seconds, and a day is what the IETF
    /// draft's examples suggest.
    public static let lifetime: Double = 86_400

    public static func reused() -> FerryError {
        FerryError(.keyReused, "this Idempotency-Key was already used for a different request", field: "Idempotency-Key")
    }

    public static func createdThenDeleted() -> FerryError {
        FerryError(.conflict, "what the first request with this Idempotency-Key created has since been deleted", field: "Idempotency-Key")
    }
}
