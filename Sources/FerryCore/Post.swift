import Foundation

/// The database id of a post.
public struct PostID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// The year and month a post's permalink lives under, in UTC: `/{blog}/{yyyy}/{mm}/{slug}`.
public struct PostMonth: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public init(containing date: Date) {
        let day = CivilDay(containing: date)
        year = day.year
        month = day.month
    }

    /// `2026-11`, as in archive feed names and as stored.
    public init?(key: String) {
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    public var key: String { CivilDay.digits(year, 4) + "-" + CivilDay.digits(month, 2) }
    /// `2026/11`, as in permalinks.
    public var path: String { CivilDay.digits(year, 4) + "/" + CivilDay.digits(month, 2) }
    public var description: String { key }

    public static func < (lhs: PostMonth, rhs: PostMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}

/// A dated post, or a page: an imported blog's "About" or "Contact", which lives at its own
/// address under the blog and is never an entry of its feed or its owner's stream; or a
/// draft, a post its owner has not published, which only its owner ever sees.
public enum PostKind: String, Sendable, Codable {
    case post, page, draft
}

/// A post as stored.
public struct Post: Sendable, Equatable {
    public var id: PostID
    public var blogID: BlogID
    /// The Atom entry id: fixed at creation (or kept from the export it was imported from).
    public var entryID: String
    public var month: PostMonth
    public var slug: PostSlug
    public var title: String
    /// Sanitized HTML.
    public var content: String
    public var tags: [String]
    public var publishedAt: Date
    public var updatedAt: Date
    public var commentCount: Int
    public var kind: PostKind

    public init(
        id: PostID, blogID: BlogID, entryID: String, month: PostMonth, slug: PostSlug, title: String,
        content: String, tags: [String], publishedAt: Date, updatedAt: Date, commentCount: Int = 0, kind: PostKind = .post
    ) {
        self.kind = kind
        self.id = id
        self.blogID = blogID
        self.entryID = entryID
        self.month = month
        self.slug = slug
        self.title = title
        self.content = content
        self.tags = tags
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.commentCount = commentCount
    }

    public static let titleLimit = 300

    public static func validTitle(_ input: String) throws(FerryError) -> String {
        try TextRules.requiredLine(input, field: "title", limit: titleLimit)
    }

    /// An imported title made acceptable instead of refused: control characters and line
    /// breaks become spaces, long titles are cut, an empty one reads "(untitled)".
    public static func importedTitle(_ input: String) -> String {
        TextRules.lenientLine(input, limit: titleLimit) ?? "(untitled)"
    }
}

/// What an author writes: validated title and tags, and content that is already sanitized.
public struct PostDraft: Sendable, Equatable {
    public var title: String
    public var content: String
    public var tags: [String]

    public init(title: String, content: String, tags: [String]) {
        self.title = title
        self.content = content
        self.tags = tags
    }
}

/// Tags name what a post is about; they become Atom categories.
public enum Tags {
    public static let countLimit = 30
    public static let lengthLimit = 60

    /// Imported tags made acceptable instead of refused: cleaned like titles, empty ones
    /// dropped, duplicates removed, at most `countLimit`.
    public static func imported(_ tags: [String]) -> [String] {
        var seen: Set<String> = []
        return tags.compactMap { TextRules.lenientLine($0, limit: lengthLimit) }
            .filter { seen.insert($0.lowercased()).inserted }
            .prefix(countLimit).map { $0 }
    }

    /// Trimmed, one line each, duplicates (in any letter case) removed, first spelling kept.
    public static func valid(_ tags: [String], field: String = "tags") throws(FerryError) -> [String] {
        guard tags.count <= countLimit else { throw .invalid(field, "may hold at most \(countLimit) tags") }
        var seen: Set<String> = []
        var result: [String] = []
        for (index, tag) in tags.enumerated() {
            let valid = try TextRules.requiredLine(tag, field: "\(field)[\(index)]", limit: lengthLimit)
            if seen.insert(valid.lowercased()).inserted { result.append(valid) }
        }
        return result
    }
}
