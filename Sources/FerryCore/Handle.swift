/// The name an identity signs in with and is found by: 2–32 characters of lowercase
/// letters, digits, `.`, `_` and `-`.
///
/// Input is lowercased before it is checked, so `Alice` and `alice` are the same handle:
/// uniqueness is case-insensitive by construction.
public struct Handle: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public static let lengthRange = 2...32

    /// Validates and normalizes `input`; `field` names the input in the error.
    public init(validating input: String, field: String = "handle") throws(FerryError) {
        let lowered = input.lowercased()
        guard Self.lengthRange.contains(lowered.unicodeScalars.count) else {
            throw .invalid(field, "must be \(Self.lengthRange.lowerBound) to \(Self.lengthRange.upperBound) characters long")
        }
        guard lowered.unicodeScalars.allSatisfy(Self.isAllowed) else {
            throw .invalid(field, "may contain only lowercase letters a–z, digits, '.', '_' and '-'")
        }
        // Names like `..` or `.well-known` would be path tricks once they stand in a URL.
        guard !lowered.hasPrefix("."), !lowered.hasSuffix("."), !lowered.contains("..") else {
            throw .invalid(field, "must not start or end with '.' or contain '..'")
        }
        rawValue = lowered
    }

    /// A handle that is already known to be valid, such as one read back from the database.
    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    /// Whether `scalar` is in the handle alphabet; blog slugs share it.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: Handle, rhs: Handle) -> Bool { lhs.rawValue < rhs.rawValue }
}
