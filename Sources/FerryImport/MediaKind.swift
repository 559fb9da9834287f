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

    /// The kind of medium `address` names by the extension of its path, if any.
    static func of(address: String) -> MediaKind? {
        let path = address.prefix { $0 != "?" && $0 != "#" }
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        return of(fileExtension: String(path[path.index(after: dot)...]))?.kind
    }
}
