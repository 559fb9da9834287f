import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Records a new session for `identity`, and forgets that identity's expired ones.
    public func openSession(for identity: IdentityID, token: SessionToken, expiresAt: Date, at now: Date = Date()) async throws {
        try await writer.write { db in
            try SessionRecord
                .filter(Column("identityId") == identity.rawValue && Column("expiresAt") <= now)
                .deleteAll(db)
            try SessionRecord(tokenHash: token.hash, identityId: identity.rawValue, createdAt: now, expiresAt: expiresAt).insert(db)
        }
    }

    /// The identity a token signs in, if the token is known and has not expired.
    public func identityID(signedInBy token: SessionToken, at now: Date = Date()) async throws -> IdentityID? {
        try await writer.read { db in
            try Int64.fetchOne(
                db,
                sql: "SELECT identityId FROM session WHERE tokenHash = ? AND expiresAt > ?",
                arguments: [token.hash, now]
            ).map(IdentityID.init)
        }
    }

    /// Revokes one session; returns whether it existed.
    @discardableResult
    public func closeSession(_ token: SessionToken) async throws -> Bool {
        try await writer.write { db in try SessionRecord.deleteOne(db, key: token.hash) }
    }
}
