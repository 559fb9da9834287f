import FerryTestSupport
import Foundation
import GRDB
import Testing

@testable import FerryStore

/// Migrations that rebuild a table must keep every row of a database written before them.
@Suite struct SchemaMigrationTests {
    /// Identity 1, "alice", and her public blog 1, "old".
    static let ownerAndBlog = """
        INSERT INTO identity (id, handle, displayName, passwordHash, createdAt, updatedAt) VALUES (1, 'alice', 'Alice', 'x', 0, 0);
        INSERT INTO blog (id, slug, ownerId, title, language, visibility, allowsAnonymousComments, feedId, createdAt, updatedAt)
            VALUES (1, 'old', 1, 'Old', 'en', 'public', 0, 'urn:x', 0, 0);
        """

    @Test func redirectsKeepTheirRowsAndNowLeaveWithTheirPostByTrigger() async throws {
        try await withTemporaryDirectory { folder in
            let queue = try DatabaseQueue(path: folder.appendingPathComponent("old.sqlite").path, configuration: AppDatabase.configuration)
            try AppDatabase.migrator.migrate(queue, upTo: "013-redirects-by-blog-and-post")
            try queue.write { db in
                try db.execute(sql: Self.ownerAndBlog)
                try db.execute(
                    sql: """
                        INSERT INTO post (id, blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt)
                            VALUES (1, 1, 'a', '2010-01', 'a', 'A', '', '[]', 0, 0), (2, 1, 'b', '2010-01', 'b', 'B', '', '[]', 0, 0);
                        INSERT INTO redirect (host, path, blogId, postId, target) VALUES
                            ('old.example', '', 1, NULL, '/old/'), ('old.example', '/a', 1, 1, '/old/2010/01/a'),
                            ('old.example', '/?p=1', 1, 1, '/old/2010/01/a'), ('old.example', '/b', 1, 2, '/old/2010/01/b');
                        """)
            }
            let before = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM redirect ORDER BY host, path") }

            try AppDatabase.migrator.migrate(queue)
            try queue.write { db in
                #expect(try Row.fetchAll(db, sql: "SELECT * FROM redirect ORDER BY host, path") == before)
                try db.execute(sql: "DELETE FROM post WHERE id = 1")
                #expect(try String.fetchAll(db, sql: "SELECT path FROM redirect ORDER BY path") == ["", "/b"])
                try db.execute(sql: "DELETE FROM blog WHERE id = 1")
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM redirect") == 0)
                #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            }
        }
    }

    /// Addresses recorded as exports spelled them are normalised like every new one; where two
    /// spellings of one address were recorded, one row is left.
    @Test func oldAddressesRecordedBeforeAreNormalised() async throws {
        try await withTemporaryDirectory { folder in
            let queue = try DatabaseQueue(path: folder.appendingPathComponent("old.sqlite").path, configuration: AppDatabase.configuration)
            try AppDatabase.migrator.migrate(queue, upTo: "015-migration-new-blog-settings")
            try queue.write { db in
                try db.execute(sql: Self.ownerAndBlog)
                try db.execute(
                    sql: """
                        INSERT INTO redirect (host, path, blogId, postId, target) VALUES
                            ('old.example', '/caf%c3%a9', 1, NULL, '/old/a'), ('old.example', '/caf%C3%A9', 1, NULL, '/old/b'),
                            ('old.example', '/%e6%97%a5', 1, NULL, '/old/c'), ('old.example', '/ελληνικά', 1, NULL, '/old/d'),
                            ('old.example', '/%7ebob', 1, NULL, '/old/e'), ('old.example', '/plain', 1, NULL, '/old/f');
                        """)
            }
            try AppDatabase.migrator.migrate(queue)
            let rows = try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT path, target FROM redirect ORDER BY path").map { "\($0["path"] as String) \($0["target"] as String)" }
            }
            #expect(
                rows == [
                    "/%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC /old/d", "/%E6%97%A5 /old/c", "/caf%C3%A9 /old/b", "/plain /old/f", "/~bob /old/e",
                ])
        }
    }

    /// Addresses recorded before claims existed keep redirecting where one identity recorded
    /// their host; where two did (the hole claims close), both wait for verification.
    @Test func addressesRecordedBeforeClaimsAreClaimedByTheirOnlyHolder() async throws {
        try await withTemporaryDirectory { folder in
            let queue = try DatabaseQueue(path: folder.appendingPathComponent("old.sqlite").path, configuration: AppDatabase.configuration)
            try AppDatabase.migrator.migrate(queue, upTo: "018-site-settings")
            try queue.write { db in
                try db.execute(sql: Self.ownerAndBlog)
                try db.execute(
                    sql: """
                        INSERT INTO identity (id, handle, displayName, passwordHash, createdAt, updatedAt) VALUES (2, 'mallory', 'M', 'x', 0, 0);
                        INSERT INTO blog (id, slug, ownerId, title, language, visibility, allowsAnonymousComments, feedId, createdAt, updatedAt)
                            VALUES (2, 'stolen', 2, 'S', 'en', 'public', 0, 'urn:y', 0, 0);
                        INSERT INTO redirect (host, path, blogId, postId, target) VALUES
                            ('old.example', '', 1, NULL, '/old/'), ('old.example', '/a', 1, NULL, '/old/a'),
                            ('shared.example', '/b', 1, NULL, '/old/b'), ('shared.example', '/c', 2, NULL, '/stolen/c');
                        """)
            }
            try AppDatabase.migrator.migrate(queue)
            let claims = try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT host, path, identityId, verifiedBy FROM old_root_claim ORDER BY host, identityId")
                    .map { "\($0["host"] as String)\($0["path"] as String) \($0["identityId"] as Int64) \(($0["verifiedBy"] as String?) ?? "waiting")" }
            }
            #expect(claims == ["old.example 1 existing", "shared.example 1 waiting", "shared.example 2 waiting"])
            #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM redirect") } == 4)
        }
    }

    /// Media recorded as used by a blog are found again in the posts that show them; those no
    /// post shows stay the blog's library's; a deleted post now takes its uses with it.
    @Test func mediaUsesRecordedByBlogAreFoundInTheirPosts() async throws {
        try await withTemporaryDirectory { folder in
            let queue = try DatabaseQueue(path: folder.appendingPathComponent("old.sqlite").path, configuration: AppDatabase.configuration)
            try AppDatabase.migrator.migrate(queue, upTo: "019-old-root-claims")
            let (shown, spare) = (String(repeating: "a", count: 64), String(repeating: "b", count: 64))
            try queue.write { db in
                try db.execute(sql: Self.ownerAndBlog)
                try db.execute(
                    sql: """
                        INSERT INTO media (hash, contentType, size, createdAt) VALUES ('\(shown)', 'image/jpeg', 1, 0), ('\(spare)', 'image/jpeg', 1, 0);
                        INSERT INTO media_use (hash, blogId) VALUES ('\(shown)', 1), ('\(spare)', 1);
                        INSERT INTO post (id, blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt)
                            VALUES (1, 1, 'a', '2010-01', 'a', 'A', '<img src="/media/\(shown).jpg">', '[]', 0, 0),
                                   (2, 1, 'b', '2010-01', 'b', 'B', '<p><img src="/media/\(shown).jpg" alt=""></p>', '[]', 0, 0);
                        """)
            }
            try AppDatabase.migrator.migrate(queue)
            try queue.write { db in
                let uses = try Row.fetchAll(db, sql: "SELECT hash, postId FROM media_use ORDER BY hash, postId").map {
                    "\(($0["hash"] as String).prefix(1)) \($0["postId"] as Int64)"
                }
                #expect(uses == ["a 1", "a 2", "b 0"])
                try db.execute(sql: "DELETE FROM post WHERE id = 1")
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM media_use") == 2)
                #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            }
        }
    }

    /// The rebuild that lets a post be a draft keeps every post, comment, redirect and media
    /// use, the id sequence (a deleted post's id is never given again), every index and trigger.
    @Test func postsSurviveTheRebuildThatAddsDrafts() async throws {
        try await withTemporaryDirectory { folder in
            let queue = try DatabaseQueue(path: folder.appendingPathComponent("old.sqlite").path, configuration: AppDatabase.configuration)
            try AppDatabase.migrator.migrate(queue, upTo: "024-migration-links-identity")
            let hash = String(repeating: "a", count: 64)
            try queue.write { db in
                try db.execute(sql: Self.ownerAndBlog)
                try db.execute(
                    sql: """
                        INSERT INTO media (hash, contentType, size, createdAt) VALUES ('\(hash)', 'image/jpeg', 1, 0);
                        INSERT INTO post (id, blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, kind)
                            VALUES (1, 1, 'a', '2010-01', 'a', 'A', '', '[]', 0, 0, 'post'), (2, 1, 'b', '2010-01', 'b', 'B', '', '[]', 0, 0, 'page'),
                                   (3, 1, 'c', '2010-01', 'c', 'C', '', '[]', 0, 0, 'post');
                        DELETE FROM post WHERE id = 3;
                        INSERT INTO comment (postId, authorName, content, createdAt) VALUES (1, 'Ann', 'Hi', 0);
                        INSERT INTO redirect (host, path, blogId, postId, target) VALUES ('old.example', '/a', 1, 1, '/old/2010/01/a');
                        INSERT INTO media_use (hash, blogId, postId) VALUES ('\(hash)', 1, 1);
                        """)
            }
            let schema = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name <> 'post' ORDER BY name"
            let rows = "SELECT * FROM post ORDER BY id"
            let before = try queue.read { db in
                (try Row.fetchAll(db, sql: rows).map(\.description), try Row.fetchAll(db, sql: schema).map(\.description))
            }

            try AppDatabase.migrator.migrate(queue, upTo: "025-drafts")
            try queue.write { db in
                #expect(try Row.fetchAll(db, sql: rows).map(\.description) == before.0)
                #expect(try Row.fetchAll(db, sql: schema).map(\.description) == before.1)
                try db.execute(
                    sql: """
                        INSERT INTO post (blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, kind)
                            VALUES (1, 'd', '2010-01', 'd', 'D', '', '[]', 0, 0, 'draft')
                        """)
                #expect(db.lastInsertedRowID == 4)
                #expect(try Int.fetchOne(db, sql: "SELECT commentCount FROM post WHERE id = 1") == 1)
                try db.execute(sql: "DELETE FROM post WHERE id = 1")
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM comment") == 0)
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM redirect") == 0)
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM media_use") == 0)
                #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
                #expect(throws: DatabaseError.self) {
                    try db.execute(sql: "UPDATE post SET kind = 'trash' WHERE id = 2")
                }
            }
        }
    }
}
