import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The channel on which every node hears which blogs changed.
    static let changeChannel = "ferry_blog_change"

    /// Records, in the transaction of the write that made them, that `blogs` changed: a row
    /// for nodes that catch up later, and a NOTIFY that PostgreSQL delivers to every listening
    /// node when (and only if) the transaction commits.
    func recordChanges(_ blogs: [BlogID], on connection: PostgresConnection) async throws {
        for blog in Set(blogs) {
            try await connection.query(
                "INSERT INTO blog_change (blogId, origin, at) VALUES (\(blog.rawValue), \(changes.origin), \(Date()))", logger: logger)
            try await connection.query(
                "SELECT pg_notify(\(Self.changeChannel), \("\(blog.rawValue) \(changes.origin)"))", logger: logger)
        }
    }
}
