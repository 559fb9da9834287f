import FerryCore
import Foundation

/// Identities and their profiles, on whichever backend holds them (`AppDatabase` on SQLite,
/// `PostgresStore` on PostgreSQL). The store's interface is split by concern; each backend
/// conforms to each part, and the tests in FerryPostgresTests run every part on both.
public protocol IdentityStore: Sendable {
    /// Creates an identity; a handle that is taken, in any letter case, is a conflict.
    func createIdentity(handle: Handle, displayName: String, passwordHash: String, at now: Date) async throws -> Identity
    func identity(_ id: IdentityID) async throws -> Identity?
    /// The identity whose handle is `handle` in any letter case.
    func identity(handle: Handle) async throws -> Identity?
    func credentials(handle: Handle) async throws -> Credentials?
    /// Applies a validated partial update in one transaction; a new display name changes every
    /// blog of theirs (it names each feed's author), and those changes are announced.
    func updateProfile(of id: IdentityID, with update: ProfileUpdate, at now: Date) async throws -> Identity
    func identityCount() async throws -> Int
}

/// Signed-in sessions, which any node must recognise whichever node opened them.
public protocol SessionStore: Sendable {
    /// Records a new session for `identity`, and forgets that identity's expired ones.
    func openSession(for identity: IdentityID, token: SessionToken, expiresAt: Date, at now: Date) async throws
    /// The identity a token signs in, if the token is known and has not expired.
    func identityID(signedInBy token: SessionToken, at now: Date) async throws -> IdentityID?
    /// Revokes one session; returns whether it existed.
    @discardableResult
    func closeSession(_ token: SessionToken) async throws -> Bool
}

/// What an installation fixes once and every node must agree on.
public protocol SiteSettingStore: Sendable {
    /// The installation's value of `name`: the one recorded first, or `initial`, recorded now
    /// when there is none yet. It never changes afterwards.
    func fixedSetting(_ name: String, initial: String) async throws -> String
    /// The signer of this installation's stream cursors (its key drawn with the schema).
    func streamCursors() async throws -> StreamCursors
}

extension AppDatabase: IdentityStore, SessionStore, SiteSettingStore {}
