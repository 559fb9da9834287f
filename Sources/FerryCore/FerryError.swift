/// An error the service explains to whoever asked: a stable code, a human message and,
/// for validation failures, the field that was wrong.
///
/// Codes are an open set (like swift-nio's `FileSystemError.Code`): later capabilities add
/// their own without touching the ones here. The web layer turns these into problem+json.
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
    }

    public var code: Code
    public var message: String
    /// The offending input field, when the error is about one.
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public static func invalid(_ field: String, _ message: String) -> FerryError {
        FerryError(.invalidField, message, field: field)
    }

    public var description: String {
        if let field { return "\(field): \(message)" }
        return message
    }
}
