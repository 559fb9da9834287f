import FerryCore
import GRDB

/// An identity's profile page as one viewer may see it, read in one transaction.
public struct ProfileReading: Sendable {
    public var identity: Identity
    /// The blogs the identity links to their messenger profile that the viewer may read.
    public var linkedBlogs: [Blog]
    /// The identity's old-root claims, for the identity themselves only; empty for anyone else.
    public var claims: [OldRootClaim]
    /// Whether the viewer is the identity.
    public var isOwnProfile: Bool

    public init(identity: Identity, linkedBlogs: [Blog], claims: [OldRootClaim], isOwnProfile: Bool) {
        self.identity = identity
        self.linkedBlogs = linkedBlogs
        self.claims = claims
        self.isOwnProfile = isOwnProfile
    }
}

extension AppDatabase {
    /// The profile at `handle` as `viewer` sees it; nil when there is no such identity.
    public func profile(_ handle: Handle, viewedBy viewer: IdentityID?) async throws -> ProfileReading? {
        try await writer.read { db in
            guard let identity = try Self.record(handle: handle, in: db)?.identity() else { return nil }
            let linked = try BlogRecord.filter(Column("ownerId") == identity.id.rawValue && Column("linkedAt") != nil && !Column("slug").like("~%"))
                .order(Column("slug")).fetchAll(db).map { try $0.blog() }
                .filter { try Self.mayRead($0, viewer, db: db) }
            let own = viewer == identity.id
            return ProfileReading(identity: identity, linkedBlogs: linked, claims: own ? try Self.claims(of: identity.id, db: db) : [], isOwnProfile: own)
        }
    }
}
