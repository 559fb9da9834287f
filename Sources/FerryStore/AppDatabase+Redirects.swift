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
