import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// The new path of an old address, if a blog recorded it and its owner holds a verified
    /// claim on a root above it; the blog created first wins where several qualify.
    public func redirect(from address: OldAddress) async throws -> (target: String, blog: Blog)? {
        try await writer.read { db in
            let candidates = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.target, r.blogId, b.ownerId FROM redirect r JOIN blog b ON b.id = r.blogId
                    WHERE r.host = ? AND r.path = ? ORDER BY r.blogId
                    """, arguments: [address.host, address.path])
            guard !candidates.isEmpty else { return nil }
            let verified = try OldRootClaims.claims(onHost: address.host, db).filter { $0.status == .verified && $0.root.covers(address) }
            guard let row = candidates.first(where: { row in verified.contains { $0.identity == IdentityID(row["ownerId"] as Int64) } }),
                let blog = try BlogRecord.fetchOne(db, key: row["blogId"] as Int64)
            else { return nil }
            return (row["target"], try blog.blog())
        }
    }
}

/// One recorded old address and where it leads now.
public struct RedirectEntry: Sendable, Equatable {
    public var from: OldAddress
    public var to: String

    public init(from: OldAddress, to: String) {
        self.from = from
        self.to = to
    }
}

extension AppDatabase {
    /// Every old address that leads into `blog`, in address order.
    public func redirects(into blog: BlogID) async throws -> [RedirectEntry] {
        try await writer.read { db in try Self.redirects(into: blog, limit: -1, db) }
    }

    /// The first `limit` old addresses that lead into `blog`, in address order, and how many there are.
    public func redirects(into blog: BlogID, limit: Int) async throws -> (first: [RedirectEntry], count: Int) {
        try await writer.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM redirect WHERE blogId = ?", arguments: [blog.rawValue]) ?? 0
            return (try Self.redirects(into: blog, limit: limit, db), count)
        }
    }

    private static func redirects(into blog: BlogID, limit: Int, _ db: Database) throws -> [RedirectEntry] {
        try Row.fetchAll(
            db, sql: "SELECT host, path, target FROM redirect WHERE blogId = ? ORDER BY host, path LIMIT ?", arguments: [blog.rawValue, limit]
        )
        .map { RedirectEntry(from: OldAddress(host: $0["host"], path: $0["path"]), to: $0["target"]) }
    }
}
