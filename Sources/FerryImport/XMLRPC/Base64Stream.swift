import FerryCore
import Foundation

/// Decodes base64 handed over in pieces of any size (line breaks and spaces anywhere, as
/// clients wrap it), so that a large upload is decoded as it is read.
struct Base64Stream {
    /// Characters of a group of four not yet complete.
    private var carry: [UInt8] = []

    /// The bytes the complete groups in `text` (after what was carried) stand for.
    mutating func decode(_ text: UnsafeBufferPointer<UInt8>) throws(FerryError) -> Data {
        carry.reserveCapacity(carry.count + text.count)
        for byte in text where !Self.isSpace(byte) { carry.append(byte) }
        let whole = carry.count - carry.count % 4
        guard whole > 0 else { return Data() }
        guard let decoded = Data(base64Encoded: Data(carry[..<whole])) else { throw Self.invalid }
        carry.removeFirst(whole)
        return decoded
    }

    /// What the last, incomplete group stands for; a group missing its `=` padding is read
    /// as if it had it.
    mutating func finish() throws(FerryError) -> Data {
        guard !carry.isEmpty else { return Data() }
        guard carry.count > 1, let decoded = Data(base64Encoded: Data(carry + Array(repeating: UInt8(ascii: "="), count: 4 - carry.count))) else {
            throw Self.invalid
        }
        carry.removeAll()
        return decoded
    }

    private static let invalid = FerryError(.malformedRequest, "a base64 value is not base64")

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
