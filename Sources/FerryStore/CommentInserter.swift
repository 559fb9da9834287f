import FerryCore
import Foundation
import GRDB

/// Inserts an import's comments many to a statement. The comment table has triggers, so
/// SQLite keeps a statement journal for every INSERT into it: one row per statement copied
/// the pages it touched each time, and that was most of what a comment cost to write.
///
/// Ids are given here, as AUTOINCREMENT would (after the largest id the table ever had), so a
/// reply knows its parent's id before either is written. The import holds the write lock for
/// its whole transaction, so no other comment can take one of these ids meanwhile.
final class CommentInserter {
    static let rowsPerStatement = 64
    private static let columns = ["id", "postId", "authorName", "authorURL", "content", "createdAt", "sourceId", "parentId"]

    private let db: Database
    private var nextID: Int64
    private var waiting: [DirectValue] = []
    /// Statements by the number of rows they insert: full ones, and the rest when flushed early.
    private var statements: [Int: DirectStatement] = [:]

    init(db: Database) throws {
        self.db = db
        nextID = try Int64.fetchOne(db, sql: """
            SELECT max(ifnull((SELECT seq FROM sqlite_sequence WHERE name = 'comment'), 0), ifnull((SELECT max(id) FROM comment), 0)) + 1
            """) ?? 1
        waiting.reserveCapacity(Self.rowsPerStatement * Self.columns.count)
    }

    /// Gives the comment its id; it is written with the next full statement or `flush()`.
    func insert(
        on post: PostID, sourceID: String, parent: CommentID?, authorName: String, authorURL: String?, content: String, at date: Date
    ) throws -> CommentID {
        let id = nextID
        nextID += 1
        waiting += [
            .integer(id), .integer(post.rawValue), .text(authorName), .text(authorURL), .text(content),
            .text(CivilDay(containing: date).storedText), .text(sourceID), .integer(parent?.rawValue),
        ]
        if waiting.count == Self.rowsPerStatement * Self.columns.count { try flush() }
        return CommentID(id)
    }

    /// Writes every comment still waiting.
    func flush() throws {
        guard !waiting.isEmpty else { return }
        try statement(rows: waiting.count / Self.columns.count).execute(binding: waiting)
        waiting.removeAll(keepingCapacity: true)
    }

    private func statement(rows: Int) throws -> DirectStatement {
        if let prepared = statements[rows] { return prepared }
        let row = "(" + Array(repeating: "?", count: Self.columns.count).joined(separator: ", ") + ")"
        let prepared = try DirectStatement(
            "INSERT INTO comment (\(Self.columns.joined(separator: ", "))) VALUES " + Array(repeating: row, count: rows).joined(separator: ", "),
            in: db
        )
        statements[rows] = prepared
        return prepared
    }
}
