/// An absolute http(s) URL pointing at something held elsewhere (a photo, a website).
///
/// Validation only: the accepted string is returned unchanged, byte for byte, because a
/// reference that is rewritten is a different reference.
public enum WebReference {
    public static let maximumLength = 2_048

    public static func validate(_ value: String, field: String) throws(FerryError) -> String {
        var bytes = value
        if let problem = bytes.withUTF8(problem(in:)) { throw .invalid(field, problem) }
        return value
    }

    /// What is wrong with the URL spelled by `bytes`, or nil. Read on bytes: every byte of an
    /// accepted URL is ASCII, and imports check every link of every comment.
    private static func problem(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count <= maximumLength else {
            return "must be at most \(maximumLength) bytes long"
        }
        guard bytes.allSatisfy(isAllowed) else {
            return "must be a URL of RFC 3986 characters only: percent-encode spaces, quotes, angle brackets and non-ASCII characters"
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
            case let scheme = bytes[..<colon].lazy.map({ $0 | 0x20 }),  // ASCII letters in lowercase
            scheme.elementsEqual("http".utf8) || scheme.elementsEqual("https".utf8)
        else {
            return "must be an http or https URL"
        }
        let afterScheme = bytes[(colon + 1)...]
        guard afterScheme.starts(with: "//".utf8) else {
            return "must be an absolute URL such as https://example.com/photo.jpg"
        }
        let authority = afterScheme.dropFirst(2).prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        let hostAndPort = authority.lastIndex(of: UInt8(ascii: "@")).map { authority[($0 + 1)...] } ?? authority
        let host =
            hostAndPort.first == UInt8(ascii: "[")
            ? hostAndPort.dropFirst().prefix { $0 != UInt8(ascii: "]") }
            : hostAndPort.prefix { $0 != UInt8(ascii: ":") }
        return host.isEmpty ? "must name a host" : nil
    }

    /// RFC 3986's unreserved and reserved characters, plus `%` for percent-encoding: all ASCII,
    /// so checked byte by byte against a bit set (imports check every link of every comment).
    private static func isAllowed(_ byte: UInt8) -> Bool {
        byte < 64 ? allowedBelow64 & (1 << UInt64(byte)) != 0 : byte < 128 && allowedFrom64 & (1 << UInt64(byte - 64)) != 0
    }

    private static let (allowedBelow64, allowedFrom64): (UInt64, UInt64) = {
        var masks: (UInt64, UInt64) = (0, 0)
        for byte in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%".utf8 {
            if byte < 64 { masks.0 |= 1 << UInt64(byte) } else { masks.1 |= 1 << UInt64(byte - 64) }
        }
        return masks
    }()
}
