import FerryCore
import Foundation

/// Items prepared on the reading thread, handed to the writing thread together.
struct PreparedChunk: Sendable {
    var items: [PreparedItem] = []
    /// Items read from the export up to the end of this chunk, and bytes of the file.
    var itemsRead = 0
    var bytesRead = 0
    /// WordPress shortcodes the chunk's posts left as text.
    var shortcodes = ShortcodeTally()
}

/// WordPress shortcodes that ferry left as text, by name, and galleries that showed nothing:
/// the report's warnings.
struct ShortcodeTally: Sendable {
    var unknown: [String: Int] = [:]
    var emptyGalleries = 0

    mutating func add(_ content: WordPressContent) {
        unknown.merge(content.unknown, uniquingKeysWith: +)
        emptyGalleries += content.emptyGalleries
    }

    mutating func merge(_ other: ShortcodeTally) {
        unknown.merge(other.unknown, uniquingKeysWith: +)
        emptyGalleries += other.emptyGalleries
    }

    var warnings: [String] {
        var warnings = unknown.sorted { $0.key < $1.key }.map { name, count in
            "\(count) [\(name)] shortcode\(count == 1 ? "" : "s") left as text: ferry does not know how to show \(count == 1 ? "it" : "them")"
        }
        if emptyGalleries > 0 {
            warnings.append("\(emptyGalleries) [gallery] shortcode\(emptyGalleries == 1 ? "" : "s") named no photo of this export and show nothing")
        }
        return warnings
    }
}

/// An export item ready to be written: HTML sanitized, names and addresses checked.
enum PreparedItem: Sendable {
    /// The old blog's root address and the feed addresses its export names.
    case channel(oldRoot: OldRoot?, feeds: [OldAddress])
    case post(PreparedPost)
    case comment(PreparedComment, postSourceID: String)
    /// A photo or video the export lists on its own (a WordPress attachment).
    case media(address: String, base: String?)
    case leftBehind(kind: String, count: Int)
}

struct PreparedPost: Sendable {
    var sourceID: String
    var kind: ExportedPost.Kind
    /// Where the post lived on the old host: its permalink, guid and `?p=` forms.
    var oldAddresses: [OldAddress]
    var draft: PostDraft
    var publishedAt: Date?
    var slugSource: String
    /// The photos and videos the post uses, as the export wrote their addresses.
    var mediaAddresses: [String]
    /// The address those are relative to.
    var base: String?
    var comments: [PreparedComment]
    /// How many of `comments` a new post gets (see `BlogImporter.newPostCommentCount`).
    var newPostCommentCount: Int
}

struct PreparedComment: Sendable {
    var sourceID: String
    var parentID: String?
    var authorName: String
    var authorURL: String?
    /// Sanitized HTML; nil when nothing is left of it, or it is too large to keep.
    var content: String?
    var publishedAt: Date?
    var tooLarge = false
}
