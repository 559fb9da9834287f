import FerryCore
import Foundation
import GRDB

/// A row of `identity`.
struct IdentityRecord: Encodable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "identity"

    var id: Int64?
    var handle: String
    var passwordHash: String
    var displayName: String
    var bio: String?
    var location: String?
    var website: String?
    var photoURL: String?
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var profile: Profile {
        get { Profile(displayName: displayName, bio: bio, location: location, website: website, photoURL: photoURL) }
        set {
            displayName = newValue.displayName
            bio = newValue.bio
            location = newValue.location
            website = newValue.website
            photoURL = newValue.photoURL
        }
    }

    func identity() throws -> Identity {
        guard let id else { throw FerryError.brokenInvariant("an identity was read before it was saved") }
        return Identity(id: IdentityID(id), handle: Handle(trusted: handle), profile: profile, createdAt: createdAt)
    }
}

/// A row of `session`: a signed-in bearer token, known only by its hash.
struct SessionRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "session"

    var tokenHash: Data
    var identityId: Int64
    var createdAt: Date
    var expiresAt: Date
}

/// A row of `contact`: one side of a relationship.
struct ContactRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "contact"

    var identityId: Int64
    var contactId: Int64
    var contactHandle: String
    var state: ContactState
    var since: Date
}

extension ContactState: DatabaseValueConvertible {}

/// A row of `blog`.
struct BlogRecord: Encodable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "blog"

    var id: Int64?
    var slug: String
    var ownerId: Int64
    var title: String
    var language: String
    var visibility: BlogVisibility
    var allowsAnonymousComments: Bool
    var feedId: String
    var createdAt: Date
    var updatedAt: Date
    var linkedAt: Date?
    /// Kept by triggers for the sitemap (migration `034-page-dates`), never set here.
    var everyPageChangedAt: Date? = nil
    var homeListChangedAt: Date? = nil

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    func blog() throws -> Blog {
        guard let id else { throw FerryError.brokenInvariant("a blog was read before it was saved") }
        return Blog(
            id: BlogID(id), slug: BlogSlug(trusted: slug), ownerID: IdentityID(ownerId), title: title,
            language: LanguageTag(trusted: language), visibility: visibility,
            allowsAnonymousComments: allowsAnonymousComments, feedID: feedId, createdAt: createdAt, linkedAt: linkedAt
        )
    }
}

/// A row of `post`.
struct PostRecord: Encodable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "post"

    var id: Int64?
    var blogId: Int64
    var entryId: String
    var month: String
    var slug: String
    var title: String
    var content: String
    /// Stored as a JSON array.
    var tags: [String]
    var publishedAt: Date
    var updatedAt: Date
    var commentCount: Int
    var kind: PostKind
    /// Kept by triggers for the sitemap (migration `034-page-dates`), never set here.
    var commentsChangedAt: Date? = nil

    func post() throws -> Post {
        guard let id, let postMonth = PostMonth(key: month) else {
            throw FerryError.brokenInvariant("post \(id ?? 0) is unsaved or has a malformed month '\(month)'")
        }
        return Post(
            id: PostID(id), blogID: BlogID(blogId), entryID: entryId, month: postMonth, slug: PostSlug(trusted: slug),
            title: title, content: content, tags: tags, publishedAt: publishedAt, updatedAt: updatedAt,
            commentCount: commentCount, kind: kind
        )
    }
}

/// A row of `comment`.
struct CommentRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "comment"

    var id: Int64?
    var postId: Int64
    var authorId: Int64?
    var authorName: String?
    var content: String
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension BlogVisibility: DatabaseValueConvertible {}
extension PostKind: DatabaseValueConvertible {}

// Each record has one decoder, which reads its columns by position: every fetch selects them
// in `columns`' order (`databaseSelection`), and positions cost nothing, where names cost more
// than the query on pages of many rows (feeds). In extensions, so that the memberwise
// initializers stay.

/// A record read by position from a row that holds its `columns`, in order.
protocol PositionalRecord: FetchableRecord, TableRecord {
    static var columns: [String] { get }
}

extension PositionalRecord {
    static var databaseSelection: [any SQLSelectable] { columns.map { Column($0) } }
}

extension IdentityRecord: PositionalRecord {
    static let columns = ["id", "handle", "displayName", "bio", "location", "website", "photoURL", "createdAt", "updatedAt", "passwordHash"]

    init(row: Row) {
        id = row[0]
        handle = row[1]
        displayName = row[2]
        bio = row[3]
        location = row[4]
        website = row[5]
        photoURL = row[6]
        createdAt = row[7]
        updatedAt = row[8]
        passwordHash = row[9]
    }
}

extension BlogRecord: PositionalRecord {
    static let columns = [
        "id", "slug", "ownerId", "title", "language", "visibility", "allowsAnonymousComments", "feedId", "createdAt", "updatedAt", "linkedAt",
        "everyPageChangedAt", "homeListChangedAt",
    ]

    init(row: Row) throws {
        id = row[0]
        slug = row[1]
        ownerId = row[2]
        title = row[3]
        language = row[4]
        guard let visibility = BlogVisibility(rawValue: row[5]) else {
            throw FerryError.brokenInvariant("blog \(id ?? 0) has an unknown visibility")
        }
        self.visibility = visibility
        allowsAnonymousComments = row[6]
        feedId = row[7]
        createdAt = row[8]
        updatedAt = row[9]
        linkedAt = row[10]
        everyPageChangedAt = row[11]
        homeListChangedAt = row[12]
    }
}

extension PostRecord: PositionalRecord {
    static let columns = [
        "id", "blogId", "entryId", "month", "slug", "title", "content", "tags", "publishedAt", "updatedAt", "commentCount", "kind", "commentsChangedAt",
    ]

    init(row: Row) throws {
        id = row[0]
        blogId = row[1]
        entryId = row[2]
        month = row[3]
        slug = row[4]
        title = row[5]
        content = row[6]
        tags = try JSONDecoder().decode([String].self, from: Data((row[7] as String).utf8))
        publishedAt = row[8]
        updatedAt = row[9]
        commentCount = row[10]
        kind = (row[11] as String?).flatMap(PostKind.init(rawValue:)) ?? .post
        commentsChangedAt = row[12]
    }
}
