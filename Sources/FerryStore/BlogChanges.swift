import FerryCore
import Foundation
import GRDB
import Synchronization

/// Tells whoever keeps something made from a blog (its rendered feed and pages) that a
/// committed write changed what the blog shows, or what an identity's profile shows. The store announces each of its own writes after the
/// commit and before it returns, so a caller that awaited the write finds everything derived
/// from it already fresh.
///
/// Other processes on the same database (a `ferry import --merge` beside `ferry serve`) hear
/// of it too: each write records its change in `blog_change` in its own transaction, and a
/// process that keeps things follows that record (`AppDatabase.announceOthersChanges`).
public final class BlogChanges: Sendable {
    public typealias Listener = @Sendable (BlogID) async -> Void
    public typealias ProfileListener = @Sendable (IdentityID) async -> Void

    /// How often a follower forgets the records older than the retention.
    public static let pruneInterval: Duration = .seconds(60)

    private let listeners = Mutex<[Listener]>([])
    private let profileListeners = Mutex<[ProfileListener]>([])
    /// Names this process's records, which following passes over (they were announced here).
    public let origin = UUID().uuidString
    private let lastFollowed = Mutex<Int64?>(nil)

    /// The last record followed; nil until following starts.
    var followed: Int64? { lastFollowed.withLock { $0 } }

    func follow(to id: Int64) {
        lastFollowed.withLock { $0 = max($0 ?? 0, id) }
    }

    public init() {}

    /// Records, in the transaction of the write that made them, that `blogs` changed.
    func record(_ blogs: [BlogID], in db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO blog_change (blogId, origin, at) VALUES (?, ?, ?)")
        let now = Date()
        for blog in Set(blogs) { try statement.execute(arguments: [blog.rawValue, origin, now]) }
    }

    /// Records, in the transaction of the write that made it, that the profile of `identity`
    /// changed. The row names no blog (`blogId` 0, which no blog has): it is the identity's.
    func recordProfile(_ identity: IdentityID, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO blog_change (blogId, identityId, origin, at) VALUES (0, ?, ?, ?)", arguments: [identity.rawValue, origin, Date()])
    }

    /// Adds a listener for every later change.
    public func listen(_ listener: @escaping Listener) {
        listeners.withLock { $0.append(listener) }
    }

    /// Adds a listener for every later change of a profile.
    public func listenToProfiles(_ listener: @escaping ProfileListener) {
        profileListeners.withLock { $0.append(listener) }
    }

    /// Tells every profile listener that the profiles of `identities` changed.
    public func announceProfiles(_ identities: [IdentityID]) async {
        let listeners = profileListeners.withLock { $0 }
        for listener in listeners {
            for identity in identities { await listener(identity) }
        }
    }

    /// Tells every listener that `blogs` changed. The store calls it for its own writes; a
    /// write made on a thread of its own (an import) is announced by whoever awaited it.
    public func announce(_ blogs: [BlogID]) async {
        let listeners = listeners.withLock { $0 }
        for listener in listeners {
            for blog in blogs { await listener(blog) }
        }
    }

    public func announce(_ blog: BlogID) async {
        await announce([blog])
    }
}
