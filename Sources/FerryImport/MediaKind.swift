import Foundation

/// Photos, videos and sounds as their file names tell them: for a zip's files, and for links
/// and shortcodes that name a medium rather than a page.
enum MediaKind: Sendable {
    case photo, video, sound

    private static let types: [String: (MediaKind, String)] = [
        "jpg": (.photo, "image/jpeg"), "jpeg": (.photo, "image/jpeg"), "png": (.photo, "image/png"), "gif": (.photo, "image/gif"),
        "webp": (.photo, "image/webp"),
        "mp4": (.video, "video/mp4"), "m4v": (.video, "video/mp4"), "webm": (.video, "video/webm"),
        "mp3": (.sound, "audio/mpeg"), "ogg": (.sound, "audio/ogg"),
    ]

    /// The kind and content type of a file with extension `fileExtension`.
    static func of(fileExtension: String) -> (kind: MediaKind, contentType: String)? {
        types[fileExtension.lowercased()]
    }

    /// The kind of medium `address` names by the extension of its path, if any. Read on its
    /// bytes: every link of every imported post is asked about.
    static func of(address: String) -> MediaKind? {
        let bytes = address.utf8
        let pathEnd = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        guard let dot = bytes[..<pathEnd].lastIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }),
            bytes[dot] == UInt8(ascii: "."), bytes.distance(from: dot, to: pathEnd) <= 5
        else { return nil }
        return of(fileExtension: String(decoding: bytes[bytes.index(after: dot)..<pathEnd], as: UTF8.self))?.kind
    }
}
