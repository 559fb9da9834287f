/// An error the service explains to whoever asked: a stable code, a human message, for
/// validation failures the field that was wrong, and the underlying error when there was one.
///
/// Codes are an open set (like swift-nio's `FileSystemError.Code`): later capabilities add
/// their own without touching the ones here. The web layer turns these into problem+json; a
/// broken invariant becomes a logged 500 whose message and cause stay in the log.
public struct FerryError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A value is present but not acceptable (too short, wrong alphabet, bad URL…).
        public static let invalidField = Code(rawValue: "invalid-field")
        /// The request itself could not be read (not JSON, wrong types, bad UTF-8).
        public static let malformedRequest = Code(rawValue: "malformed-request")
        /// The thing asked for does not exist, or the caller may not know it exists.
        public static let notFound = Code(rawValue: "not-found")
        /// The change contradicts the current state (a taken handle, a duplicate invitation).
        public static let conflict = Code(rawValue: "conflict")
        /// No valid credentials were presented.
        public static let unauthenticated = Code(rawValue: "unauthenticated")
        /// The caller is known but may not do this (writing to someone else's blog).
        public static let forbidden = Code(rawValue: "forbidden")
        /// The body is larger than the configured limit.
        public static let tooLarge = Code(rawValue: "too-large")
        /// What was asked for is no longer offered (new migrations after the cutoff).
        public static let gone = Code(rawValue: "gone")
        /// The caller has too many of something waiting already (uploads not yet run).
        public static let tooMany = Code(rawValue: "too-many")
        /// The caller's stored bytes would pass their quota.
        public static let quotaExceeded = Code(rawValue: "quota-exceeded")
        /// The body's media type is not one this route takes.
        public static let unsupportedType = Code(rawValue: "unsupported-type")
        /// An export (or the zip around it) cannot be read or is refused as hostile.
        public static let unreadableExport = Code(rawValue: "unreadable-export")
        /// An address outside ferry could not be fetched: not public, not answering, too large.
        public static let unfetchable = Code(rawValue: "unfetchable")
        /// An `Idempotency-Key` came back with a request other than the one it was first sent with.
        public static let keyReused = Code(rawValue: "key-reused")
        /// What ferry itself wrote contradicts what its code assumes (a missing schema row, an
        /// unknown stored value): never the caller's fault, never a "not found".
        public static let brokenInvariant = Code(rawValue: "broken-invariant")
    }

    public var code: Code
    public var message: String
    /// The offending input field, when the error is about one.
    public var field: String?
    /// The error this one explains, kept whole for the log.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, field: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    public static func invalid(_ field: String, _ message: String) -> FerryError {
        FerryError(.invalidField, message, field: field)
    }

    /// An export that cannot be read, in words for its owner.
    public static func unreadableExport(_ message: String, cause: (any Error)? = nil) -> FerryError {
        FerryError(.unreadableExport, message, cause: cause)
    }

    /// An outside address that could not be fetched, in words for the owner.
    public static func unfetchable(_ message: String, cause: (any Error)? = nil) -> FerryError {
        FerryError(.unfetchable, message, cause: cause)
    }

    /// Something ferry wrote is not as its code assumes.
    public static func brokenInvariant(_ message: String, cause: (any Error)? = nil) -> FerryError {
        FerryError(.brokenInvariant, message, cause: cause)
    }

    /// Equal when they say the same to the caller; the cause is for the log only.
    public static func == (lhs: FerryError, rhs: FerryError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.field == rhs.field
    }

    public var description: String {
        let text = field.map { "\($0): \(message)" } ?? message
        guard let cause else { return text }
        return "\(text) (caused by \(String(reflecting: cause)))"
    }
}
