import FerryCore
import Foundation
import GRDB

/// The SQL of old-root claims, shared by the store's methods and `SQLiteImportBatch`.
enum OldRootClaims {
    static let columns = "id, scheme, host, port, path, identityId, token, verifiedAt, verifiedBy"

    static func claim(_ row: Row) -> OldRootClaim {
        OldRootClaim(
            id: row["id"],
            root: OldRoot(scheme: row["scheme"], address: OldAddress(host: row["host"], path: row["path"]), port: row["port"]),
            identity: IdentityID(row["identityId"]),
            token: row["token"],
            status: (row["verifiedAt"] as Date?) == nil ? .pending : .verified,
            verifiedBy: row["verifiedBy"]
        )
    }

    static func claims(onHost host: String, _ db: Database) throws -> [OldRootClaim] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM old_root_claim WHERE host = ?", arguments: [host]).map(claim)
    }

    /// The claim `identity` has on `root` or on a root above it; else a new one (verified at
    /// once when `trusted`), with whether it was made now; nil when another identity holds a
    /// verified claim overlapping it.
    static func claim(_ root: OldRoot, for identity: IdentityID, trusted: Bool, _ db: Database) throws -> (OldRootClaim, made: Bool)? {
        switch OldRootClaimRule.decide(root, for: identity, onHost: try claims(onHost: root.host, db)) {
        case .refused:
            return nil
        case .held(var claim):
            if trusted, claim.status == .pending {
                try verify(claim.id, by: "trusted", db)
                claim.status = .verified
                claim.verifiedBy = "trusted"
            }
            return (claim, false)
        case .new:
            break
        }
        try db.execute(
            sql: """
                INSERT INTO old_root_claim (scheme, host, port, path, identityId, token, createdAt, verifiedAt, verifiedBy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                root.scheme, root.host, root.port, root.path, identity.rawValue, OldRootClaimRule.newToken(), Date(), trusted ? Date() : nil,
                trusted ? "trusted" : nil,
            ]
        )
        let id = db.lastInsertedRowID
        if trusted { try dropOthers(overlapping: root, keeping: identity, db) }
        return try Row.fetchOne(db, sql: "SELECT \(columns) FROM old_root_claim WHERE id = ?", arguments: [id]).map { (claim($0), true) }
    }

    /// Marks the claim verified; the other identities' waiting claims on overlapping roots go,
    /// with the addresses their blogs recorded under them.
    static func verify(_ id: Int64, by method: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE old_root_claim SET verifiedAt = ?, verifiedBy = ? WHERE id = ?", arguments: [Date(), method, id])
        guard let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM old_root_claim WHERE id = ?", arguments: [id]) else { return }
        let verified = claim(row)
        try dropOthers(overlapping: verified.root, keeping: verified.identity, db)
    }

    private static func dropOthers(overlapping root: OldRoot, keeping identity: IdentityID, _ db: Database) throws {
        for other in try claims(onHost: root.host, db) where other.identity != identity && other.root.overlaps(root) {
            try db.execute(sql: "DELETE FROM old_root_claim WHERE id = ?", arguments: [other.id])
            let blogs = try Int64.fetchAll(db, sql: "SELECT id FROM blog WHERE ownerId = ?", arguments: [other.identity.rawValue])
            for blog in blogs {
                let paths = try String.fetchAll(db, sql: "SELECT path FROM redirect WHERE host = ? AND blogId = ?", arguments: [root.host, blog])
                for path in paths where root.covers(OldAddress(host: root.host, path: path)) {
                    try db.execute(sql: "DELETE FROM redirect WHERE host = ? AND path = ? AND blogId = ?", arguments: [root.host, path, blog])
                }
            }
        }
    }
}

extension AppDatabase {
    /// The claims of `identity`, waiting ones first.
    public func claims(of identity: IdentityID) async throws -> [OldRootClaim] {
        try await writer.read { db in try Self.claims(of: identity, db: db) }
    }

    static func claims(of identity: IdentityID, db: Database) throws -> [OldRootClaim] {
        try Row.fetchAll(
            db, sql: "SELECT \(OldRootClaims.columns) FROM old_root_claim WHERE identityId = ? ORDER BY verifiedAt IS NOT NULL, host, path",
            arguments: [identity.rawValue]
        ).map(OldRootClaims.claim)
    }

    /// Every claim with its claimant's handle, waiting ones first, for the operator.
    public func allClaims() async throws -> [(claim: OldRootClaim, handle: Handle)] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, c.scheme, c.host, c.port, c.path, c.identityId, c.token, c.verifiedAt, c.verifiedBy, i.handle
                    FROM old_root_claim c JOIN identity i ON i.id = c.identityId
                    ORDER BY c.verifiedAt IS NOT NULL, c.host, c.path, c.id
                    """
            ).map { (OldRootClaims.claim($0), Handle(trusted: $0["handle"])) }
        }
    }

    public func claim(id: Int64) async throws -> OldRootClaim? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(OldRootClaims.columns) FROM old_root_claim WHERE id = ?", arguments: [id]).map(OldRootClaims.claim)
        }
    }

    /// Verifies the claim `id` (`by` says how); false if there is no such claim or another
    /// identity's verified claim overlaps it, which a claim never overrides.
    public func verifyClaim(_ id: Int64, by method: String) async throws -> Bool {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(OldRootClaims.columns) FROM old_root_claim WHERE id = ?", arguments: [id]) else { return false }
            let claim = OldRootClaims.claim(row)
            let held = try OldRootClaims.claims(onHost: claim.root.host, db).contains {
                $0.identity != claim.identity && $0.status == .verified && $0.root.overlaps(claim.root)
            }
            guard !held else { return false }
            try OldRootClaims.verify(id, by: method, db)
            return true
        }
    }

    /// Withdraws the claim `id`: the addresses under its root stop redirecting. False if
    /// there is no such claim.
    public func revokeClaim(_ id: Int64) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM old_root_claim WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
