import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// The new path of an old address recorded by an import, if any.
    public func redirect(from address: OldAddress) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT target FROM redirect WHERE host = ? AND path = ?", arguments: [address.host, address.path])
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
