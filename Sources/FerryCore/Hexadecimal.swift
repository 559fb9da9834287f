/// Bytes as lowercase hexadecimal, two digits each: hashes in media names and `ETag`s,
/// migration ids. Built from a table rather than `String(format:)` per byte.
extension Sequence where Element == UInt8 {
    public var hexadecimal: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
