import Crypto
import FerryCore
import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

extension Request {
    /// The request's `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header: a string,
    /// quoted as a structured field or bare) as the key of a write by `caller` (nil: a visitor)
    /// asking for `parts`, which the fingerprint covers with the method and path. Nil without
    /// the header.
    func requestKey(by caller: IdentityID?, asking parts: [String]) throws -> RequestKey? {
        guard var key = headers[.idempotencyKey] else { return nil }
        if key.count >= 2, key.hasPrefix("\""), key.hasSuffix("\"") { key = String(key.dropFirst().dropLast()) }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\"") }) else {
            throw FerryError.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters, such as a UUID")
        }
        let asked = ([method.rawValue, uri.path] + parts).joined(separator: "\u{1F}")
        return RequestKey(
            scope: caller.map { "identity:\($0.rawValue)" } ?? "visitor", key: key,
            fingerprint: Array(SHA256.hash(data: Data(asked.utf8))).hexadecimal)
    }
}
