import Foundation

/// Where a migration stands: awaiting confirmation → queued → running → done | failed.
public enum MigrationStatus: String, Sendable, Codable, CaseIterable {
    case awaitingConfirmation = "awaiting-confirmation"
    case queued, running, done, failed
}

/// Whether a migration creates its blog or adds to one the owner has.
public enum MigrationMode: String, Sendable, Codable {
    case new, merge
}

/// What the owner chose for the blog a `new` migration creates; nil fields fall back to the
/// export's title and language, and to a public blog.
public struct NewBlogChoice: Sendable, Equatable {
    public var title: String?
    public var language: LanguageTag?
    public var visibility: BlogVisibility?

    public init(title: String? = nil, language: LanguageTag? = nil, visibility: BlogVisibility? = nil) {
        self.title = title
        self.language = language
        self.visibility = visibility
    }
}

/// A migration as stored. `summary` and `report` are JSON documents written by the importer.
public struct Migration: Sendable, Equatable {
    public var id: String
    public var ownerID: IdentityID
    public var blog: BlogSlug
    public var mode: MigrationMode
    public var status: MigrationStatus
    public var summary: Data
    public var report: Data?
    public var failure: String?
    public var createdAt: Date
    public var newBlog: NewBlogChoice
    /// Whether the blog is linked to its owner's messenger identity once the import is done
    /// (the owner typed the password again when choosing it).
    public var linksIdentity: Bool

    public init(
        id: String, ownerID: IdentityID, blog: BlogSlug, mode: MigrationMode, status: MigrationStatus,
        summary: Data, report: Data? = nil, failure: String? = nil, createdAt: Date, newBlog: NewBlogChoice = NewBlogChoice(),
        linksIdentity: Bool = false
    ) {
        self.newBlog = newBlog
        self.linksIdentity = linksIdentity
        self.id = id
        self.ownerID = ownerID
        self.blog = blog
        self.mode = mode
        self.status = status
        self.summary = summary
        self.report = report
        self.failure = failure
        self.createdAt = createdAt
    }
}

/// The operator's cutoff for new migrations: after `closesAt` the old host is gone.
public struct MigrationWindow: Sendable, Equatable {
    public var closesAt: Date?

    public init(closesAt: Date? = nil) {
        self.closesAt = closesAt
    }

    public func isOpen(at now: Date = Date()) -> Bool {
        closesAt.map { now < $0 } ?? true
    }

    /// Whole days left before the cutoff (0 on its last day), or nil without a cutoff or after it.
    public func daysLeft(at now: Date = Date()) -> Int? {
        guard let closesAt, now < closesAt else { return nil }
        return Int(closesAt.timeIntervalSince(now) / 86_400)
    }

    /// Refuses a new migration after the cutoff.
    public func checkOpen(at now: Date = Date()) throws(FerryError) {
        guard let closesAt, !isOpen(at: now) else { return }
        throw FerryError(.gone, "migrations closed at \(closesAt.formatted(.iso8601)): the old host is gone, so new migrations are no longer accepted")
    }
}
