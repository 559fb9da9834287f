import Crypto
import Foundation

/// A bearer token: 256 random bits, shown to the client once and stored only as its SHA-256.
public struct SessionToken: Sendable {
    /// The token as the client sends it: base64url without padding (43 characters).
    public let value: String

    /// Draws a new token from the system's cryptographically secure generator.
    public static func generate() -> SessionToken {
        SessionToken(value: randomBytes(32).base64URLEncodedString())
    }

    /// `count` bytes from the system's cryptographically secure generator.
    public static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    public init(value: String) {
        self.value = value
    }

    /// What the database keeps instead of the token.
    public var hash: Data {
        Data(SHA256.hash(data: Data(value.utf8)))
    }
}

extension Data {
    public func base64URLEncodedString() -> String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
