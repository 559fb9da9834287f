import FerryCore
import Foundation
import GRDB

/// Inserts an import's comments many to a statement (a `RowBatch`). The comment table has
/// triggers, so SQLite keeps a statement journal for every INSERT into it: one row per
/// statement copied the pages it touched each time, and that was most of what a comment cost.
///
/// Ids are given here, as AUTOINCREMENT would (after the largest id the table ever had), so a
/// reply knows its parent's id before either is written. The import holds the write lock for
/// its whole transaction, so no other comment can take one of these ids meanwhile.
final class CommentInserter {
    private let rows: RowBatch
    private var nextID: Int64

    init(db: Database) throws {
        rows = RowBatch(
            "INSERT INTO comment (id, postId, authorName, authorURL, content, createdAt, sourceId, parentId)", columnCount: 8, in: db
        )
        nextID =
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT max(ifnull((SELECT seq FROM sqlite_sequence WHERE name = 'comment'), 0), ifnull((SELECT max(id) FROM comment), 0)) + 1
                    """) ?? 1
    }

    /// Gives the comment its id; it is written with the next full statement or `flush()`.
    func insert(
        on post: PostID, sourceID: String, parent: CommentID?, authorName: String, authorURL: String?, content: String, at date: Date
    ) throws -> CommentID {
        let id = nextID
        nextID += 1
        try rows.add(
            .integer(id), .integer(post.rawValue), .text(authorName), .text(authorURL), .text(content),
            .text(CivilDay(containing: date).storedText), .text(sourceID), .integer(parent?.rawValue)
        )
        return CommentID(id)
    }

    /// Writes every comment still waiting.
    func flush() throws {
        try rows.flush()
    }
}
