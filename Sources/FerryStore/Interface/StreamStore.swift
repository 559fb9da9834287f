import FerryCore
import Foundation

/// The contact stream and what profiles show.
public protocol StreamStore: Sendable {
    /// What `viewer`'s accepted contacts did in their linked blogs (and comments by anyone on
    /// `viewer`'s linked blogs), newest first, older than `before`.
    func stream(of viewer: IdentityID, before: ActivityID?, limit: Int) async throws -> [StreamItem]
    /// The viewer and their stream, read together; nil when the identity is gone.
    func streamReading(of viewer: IdentityID, before: ActivityID?, limit: Int) async throws -> (viewer: Identity, items: [StreamItem])?
    /// What the first page of `viewer`'s stream depends on, in a few index lookups: the newest
    /// change recorded for a blog of the viewer's accepted contacts or of the viewer (a post,
    /// edit, deletion, comment, setting or owner's name), the accepted contacts themselves,
    /// and the viewer's own profile. Equal stamps mean an equal first page; nil when the
    /// identity is gone.
    func streamStamp(of viewer: IdentityID) async throws -> String?
    /// The identity at `handle` and its activities anyone may see, newest first.
    func publicActivities(of handle: Handle, limit: Int) async throws -> (actor: Identity, items: [StreamItem])?
    /// The profile at `handle` as `viewer` sees it; nil when there is no such identity.
    func profile(_ handle: Handle, viewedBy viewer: IdentityID?) async throws -> ProfileReading?
}

/// Old addresses: the roots identities claim, and the addresses that lead into blogs.
public protocol AddressStore: Sendable {
    /// The claims of `identity`, waiting ones first.
    func claims(of identity: IdentityID) async throws -> [OldRootClaim]
    /// Every claim with its claimant's handle, waiting ones first, for the operator.
    func allClaims() async throws -> [(claim: OldRootClaim, handle: Handle)]
    func claim(id: Int64) async throws -> OldRootClaim?
    /// Verifies the claim `id`; false if there is none or another identity's verified claim overlaps it.
    func verifyClaim(_ id: Int64, by method: String) async throws -> Bool
    /// Withdraws the claim `id`; false if there is none.
    func revokeClaim(_ id: Int64) async throws -> Bool
    /// The new path of an old address, if a blog recorded it and its owner holds a verified
    /// claim on a root above it; the blog created first wins where several qualify.
    func redirect(from address: OldAddress) async throws -> (target: String, blog: Blog)?
    /// Every old address that leads into `blog`, in address order.
    func redirects(into blog: BlogID) async throws -> [RedirectEntry]
    /// The first `limit` old addresses that lead into `blog`, in address order, and how many there are.
    func redirects(into blog: BlogID, limit: Int) async throws -> (first: [RedirectEntry], count: Int)
}

/// Photos and videos uploaded by editors, against each identity's quota.
public protocol UploadStore: Sendable {
    /// Refuses an upload that would take `identity` past `quota`, before anything is written.
    func checkUploadRoom(for hash: String, bytes: Int, by identity: IdentityID, quota: Int) async throws
    /// Records that `identity` uploaded `media` into the library of `blog`, within `quota`.
    func recordUpload(_ media: StoredMedia, by identity: IdentityID, into blog: BlogID, quota: Int, at now: Date) async throws
    /// What `identity` uploaded into the library of `blog`, newest first (`hash` picks one).
    func uploads(into blog: BlogID, by identity: IdentityID, hash: String?, limit: Int) async throws -> [(media: StoredMedia, at: Date)]
}

extension UploadStore {
    public func recordUpload(_ media: StoredMedia, by identity: IdentityID, into blog: BlogID, quota: Int) async throws {
        try await recordUpload(media, by: identity, into: blog, quota: quota, at: Date())
    }

    public func uploads(into blog: BlogID, by identity: IdentityID, limit: Int) async throws -> [(media: StoredMedia, at: Date)] {
        try await uploads(into: blog, by: identity, hash: nil, limit: limit)
    }
}

extension AppDatabase: StreamStore, AddressStore, UploadStore {}
