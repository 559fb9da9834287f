import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// The new path of an old address recorded by an import, if any.
    public func redirect(from address: OldAddress) async throws -> (target: String, blog: Blog)? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT target, blogId FROM redirect WHERE host = ? AND path = ?", arguments: [address.host, address.path]),
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
}

extension AppDatabase {
    /// Every old address that leads into `blog`, in address order.
    public func redirects(into blog: BlogID) async throws -> [RedirectEntry] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT host, path, target FROM redirect WHERE blogId = ? ORDER BY host, path", arguments: [blog.rawValue])
                .map { RedirectEntry(from: OldAddress(host: $0["host"], path: $0["path"]), to: $0["target"]) }
        }
    }
}
