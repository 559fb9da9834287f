import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: AddressStore {
    public func claims(of identity: IdentityID) async throws -> [OldRootClaim] {
        try await client.withConnection { connection in try await claims(of: identity, on: connection) }
    }

    func claims(of identity: IdentityID, on connection: PostgresConnection) async throws -> [OldRootClaim] {
        try await connection.query(
            """
            SELECT \(unescaped: Self.claimColumns) FROM old_root_claim WHERE identityId = \(identity.rawValue)
            ORDER BY verifiedAt IS NOT NULL, host, path
            """, logger: logger
        ).decode(ClaimColumns.self).all().map(Self.claim)
    }

    public func allClaims() async throws -> [(claim: OldRootClaim, handle: Handle)] {
        try await client.query(
            """
            SELECT c.id, c.scheme, c.host, c.port, c.path, c.identityId, c.token, c.verifiedAt, c.verifiedBy, i.handle
            FROM old_root_claim c JOIN identity i ON i.id = c.identityId
            ORDER BY c.verifiedAt IS NOT NULL, c.host, c.path, c.id
            """, logger: logger
        ).decode((Int64, String, String, Int?, String, Int64, String, Date?, String?, String).self).all().map { row in
            (Self.claim((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8)), Handle(trusted: row.9))
        }
    }

    public func claim(id: Int64) async throws -> OldRootClaim? {
        try await client.query("SELECT \(unescaped: Self.claimColumns) FROM old_root_claim WHERE id = \(id)", logger: logger)
            .decode(ClaimColumns.self).firstElement().map(Self.claim)
    }

    public func verifyClaim(_ id: Int64, by method: String) async throws -> Bool {
        try await transaction { connection in
            guard
                let claim = try await connection.query(
                    "SELECT \(unescaped: Self.claimColumns) FROM old_root_claim WHERE id = \(id) FOR UPDATE", logger: logger
                ).decode(ClaimColumns.self).firstElement().map(Self.claim)
            else { return false }
            let held = try await claims(onHost: claim.root.host, on: connection).contains {
                $0.identity != claim.identity && $0.status == .verified && $0.root.overlaps(claim.root)
            }
            guard !held else { return false }
            try await connection.query(
                "UPDATE old_root_claim SET verifiedAt = \(Date()), verifiedBy = \(method) WHERE id = \(id)", logger: logger)
            try await dropOthers(overlapping: claim.root, keeping: claim.identity, on: connection)
            return true
        }
    }

    public func revokeClaim(_ id: Int64) async throws -> Bool {
        try await client.query("DELETE FROM old_root_claim WHERE id = \(id) RETURNING 1", logger: logger).decode(Int.self).firstElement() != nil
    }

    public func redirect(from address: OldAddress) async throws -> (target: String, blog: Blog)? {
        try await snapshot { connection -> (target: String, blog: Blog)? in
            let candidates = try await connection.query(
                """
                SELECT r.target, r.blogId, b.ownerId FROM redirect r JOIN blog b ON b.id = r.blogId
                WHERE r.host = \(address.host) AND r.path = \(address.path) ORDER BY r.blogId
                """, logger: logger
            ).decode((String, Int64, Int64).self).all()
            guard !candidates.isEmpty else { return nil }
            let verified = try await claims(onHost: address.host, on: connection).filter { $0.status == .verified && $0.root.covers(address) }
            guard let chosen = candidates.first(where: { row in verified.contains { $0.identity == IdentityID(row.2) } }),
                let blog = try await connection.query(
                    "SELECT \(unescaped: Self.blogColumns) FROM blog WHERE id = \(chosen.1)", logger: logger
                ).decode(BlogColumns.self).firstElement().map(Self.blog)
            else { return nil }
            return (chosen.0, blog)
        }
    }

    public func redirects(into blog: BlogID) async throws -> [RedirectEntry] {
        try await client.query(
            "SELECT host, path, target FROM redirect WHERE blogId = \(blog.rawValue) ORDER BY host, path", logger: logger
        ).decode((String, String, String).self).all().map { RedirectEntry(from: OldAddress(host: $0.0, path: $0.1), to: $0.2) }
    }

    public func redirects(into blog: BlogID, limit: Int) async throws -> (first: [RedirectEntry], count: Int) {
        try await snapshot { connection in
            let count =
                try await connection.query("SELECT count(*) FROM redirect WHERE blogId = \(blog.rawValue)", logger: logger)
                .decode(Int.self).firstElement() ?? 0
            let first = try await connection.query(
                "SELECT host, path, target FROM redirect WHERE blogId = \(blog.rawValue) ORDER BY host, path LIMIT \(limit)", logger: logger
            ).decode((String, String, String).self).all().map { RedirectEntry(from: OldAddress(host: $0.0, path: $0.1), to: $0.2) }
            return (first, count)
        }
    }

    func claims(onHost host: String, on connection: PostgresConnection) async throws -> [OldRootClaim] {
        try await connection.query("SELECT \(unescaped: Self.claimColumns) FROM old_root_claim WHERE host = \(host)", logger: logger)
            .decode(ClaimColumns.self).all().map(Self.claim)
    }

    /// The other identities' claims on roots overlapping `root` go, with the addresses their
    /// blogs recorded under them (as `OldRootClaims.verify` does on SQLite).
    func dropOthers(overlapping root: OldRoot, keeping identity: IdentityID, on connection: PostgresConnection) async throws {
        for other in try await claims(onHost: root.host, on: connection) where other.identity != identity && other.root.overlaps(root) {
            try await connection.query("DELETE FROM old_root_claim WHERE id = \(other.id)", logger: logger)
            let addresses = try await connection.query(
                """
                SELECT r.path, r.blogId FROM redirect r JOIN blog b ON b.id = r.blogId
                WHERE r.host = \(root.host) AND b.ownerId = \(other.identity.rawValue)
                """, logger: logger
            ).decode((String, Int64).self).all()
            for (path, blog) in addresses where root.covers(OldAddress(host: root.host, path: path)) {
                try await connection.query(
                    "DELETE FROM redirect WHERE host = \(root.host) AND path = \(path) AND blogId = \(blog)", logger: logger)
            }
        }
    }

    typealias ClaimColumns = (Int64, String, String, Int?, String, Int64, String, Date?, String?)
    static let claimColumns = "id, scheme, host, port, path, identityId, token, verifiedAt, verifiedBy"

    static func claim(_ row: ClaimColumns) -> OldRootClaim {
        OldRootClaim(
            id: row.0, root: OldRoot(scheme: row.1, address: OldAddress(host: row.2, path: row.4), port: row.3), identity: IdentityID(row.5),
            token: row.6, status: row.7 == nil ? .pending : .verified, verifiedBy: row.8)
    }
}

extension PostgresStore: UploadStore {
    public func checkUploadRoom(for hash: String, bytes: Int, by identity: IdentityID, quota: Int) async throws {
        try await client.withConnection { connection in try await checkUploadRoom(for: hash, bytes: bytes, by: identity, quota: quota, on: connection) }
    }

    public func recordUpload(_ media: StoredMedia, by identity: IdentityID, into blog: BlogID, quota: Int, at now: Date) async throws {
        try await transaction { connection in
            // One identity's uploads are counted one at a time: two at once cannot both fit.
            try await connection.query("SELECT 1 FROM identity WHERE id = \(identity.rawValue) FOR UPDATE", logger: logger)
            try await checkUploadRoom(for: media.hash, bytes: media.size, by: identity, quota: quota, on: connection)
            try await connection.query(
                """
                INSERT INTO media_upload (identityId, hash, bytes, createdAt) VALUES (\(identity.rawValue), \(media.hash), \(media.size), \(now))
                ON CONFLICT DO NOTHING
                """, logger: logger)
            try await connection.query(
                "INSERT INTO media_use (hash, blogId, postId) VALUES (\(media.hash), \(blog.rawValue), \(MediaLibrary.libraryUse)) ON CONFLICT DO NOTHING",
                logger: logger)
        }
    }

    public func uploads(into blog: BlogID, by identity: IdentityID, hash: String?, limit: Int) async throws -> [(media: StoredMedia, at: Date)] {
        try await client.query(
            """
            SELECT m.hash, m.contentType, m.size, u.createdAt FROM media_upload u
            JOIN media_use l ON l.hash = u.hash AND l.blogId = \(blog.rawValue) AND l.postId = \(MediaLibrary.libraryUse)
            JOIN media m ON m.hash = u.hash
            WHERE u.identityId = \(identity.rawValue) AND (\(hash)::text IS NULL OR u.hash = \(hash))
            ORDER BY u.createdAt DESC, u.hash LIMIT \(limit)
            """, logger: logger
        ).decode((String, String, Int, Date).self).all().map { (StoredMedia(hash: $0.0, contentType: $0.1, size: $0.2), $0.3) }
    }

    private func checkUploadRoom(for hash: String, bytes: Int, by identity: IdentityID, quota: Int, on connection: PostgresConnection) async throws {
        let known =
            try await connection.query(
                "SELECT 1 FROM media_upload WHERE identityId = \(identity.rawValue) AND hash = \(hash)", logger: logger
            ).decode(Int.self).firstElement() != nil
        guard !known else { return }
        let used =
            try await connection.query(
                "SELECT coalesce(sum(bytes), 0)::bigint FROM media_upload WHERE identityId = \(identity.rawValue)", logger: logger
            ).decode(Int.self).firstElement() ?? 0
        guard used + bytes <= quota else {
            throw FerryError(.quotaExceeded, "this upload of \(bytes) bytes would take your uploads past your quota of \(quota) bytes (\(used) are used)")
        }
    }
}
