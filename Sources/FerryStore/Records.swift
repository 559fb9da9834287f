import FerryCore
import Foundation
import GRDB

/// A row of `identity`.
struct IdentityRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
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
struct BlogRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
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
struct PostRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
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

    func post() throws -> Post {
        guard let id, let postMonth = PostMonth(key: month) else { throw FerryError.brokenInvariant("post \(id ?? 0) is unsaved or has a malformed month '\(month)'") }
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

// Rows are read by column rather than through `Decodable`, which cost more than the query on
// pages of many rows (streams, feeds). In extensions, so that the memberwise initializers stay.
extension IdentityRecord {
    init(row: Row) {
        id = row["id"]
        handle = row["handle"]
        passwordHash = row["passwordHash"]
        displayName = row["displayName"]
        bio = row["bio"]
        location = row["location"]
        website = row["website"]
        photoURL = row["photoURL"]
        createdAt = row["createdAt"]
        updatedAt = row["updatedAt"]
    }
}

extension BlogRecord {
    init(row: Row) throws {
        id = row["id"]
        slug = row["slug"]
        ownerId = row["ownerId"]
        title = row["title"]
        language = row["language"]
        guard let visibility = BlogVisibility(rawValue: row["visibility"]) else {
            throw FerryError.brokenInvariant("blog \(id ?? 0) has an unknown visibility")
        }
        self.visibility = visibility
        allowsAnonymousComments = row["allowsAnonymousComments"]
        feedId = row["feedId"]
        createdAt = row["createdAt"]
        updatedAt = row["updatedAt"]
        linkedAt = row["linkedAt"]
    }
}

extension PostRecord {
    init(row: Row) throws {
        id = row["id"]
        blogId = row["blogId"]
        entryId = row["entryId"]
        month = row["month"]
        slug = row["slug"]
        title = row["title"]
        content = row["content"]
        tags = try JSONDecoder().decode([String].self, from: Data((row["tags"] as String).utf8))
        publishedAt = row["publishedAt"]
        updatedAt = row["updatedAt"]
        commentCount = row["commentCount"]
        kind = (row["kind"] as String?).flatMap(PostKind.init(rawValue:)) ?? .post
    }
}
