import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The channel on which every node hears which blogs changed. Channels are shared by the
    /// whole database, so an installation in a schema of its own has a channel of its own.
    var changeChannel: String {
        "ferry_blog_change" + (address.schema.map { "_\($0)" } ?? "")
    }

    /// Records, in the transaction of the write that made them, that `blogs` changed: a row
    /// for nodes that catch up later, and a NOTIFY that PostgreSQL delivers to every listening
    /// node when (and only if) the transaction commits.
    func recordChanges(_ blogs: [BlogID], on connection: PostgresConnection) async throws {
        for blog in Set(blogs) {
            try await connection.query(
                "INSERT INTO blog_change (blogId, origin, at) VALUES (\(blog.rawValue), \(changes.origin), \(Date()))", logger: logger)
            try await connection.query(
                "SELECT pg_notify(\(changeChannel), \("\(blog.rawValue) \(changes.origin)"))", logger: logger)
        }
    }

    /// Records, in the transaction of the write that made it, that the profile of `identity`
    /// changed: a row naming no blog (`blogId` 0) and a NOTIFY whose payload starts with `p`.
    func recordProfileChange(_ identity: IdentityID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO blog_change (blogId, identityId, origin, at) VALUES (0, \(identity.rawValue), \(changes.origin), \(Date()))", logger: logger)
        try await connection.query(
            "SELECT pg_notify(\(changeChannel), \("p\(identity.rawValue) \(changes.origin)"))", logger: logger)
    }
}
