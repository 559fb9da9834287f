import Crypto
import Foundation

/// A bearer token: 256 random bits, shown to the client once and stored only as its SHA-256.
public struct SessionToken: Sendable {
    /// The token as the client sends it: base64url without padding (43 characters).
    public let value: String

    /// Draws a new token from the system's cryptographically secure generator.
    public static func generate() -> SessionToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return SessionToken(value: Data(bytes).base64URLEncodedString())
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
    func base64URLEncodedString() -> String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
