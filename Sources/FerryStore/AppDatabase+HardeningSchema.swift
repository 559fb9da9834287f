import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Migrations of the hardening work (issue 14), appended after `018`.
    static func registerHardeningMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("019-old-root-claims") { db in
            try db.execute(
                sql: """
                    -- Who claims an old blog's root (scheme, host, path prefix). Several identities
                    -- may wait on one root; once one is verified the others' claims are dropped, and
                    -- only a verified claim makes the addresses under its root redirect.
                    CREATE TABLE old_root_claim (
                        id INTEGER PRIMARY KEY,
                        scheme TEXT NOT NULL CHECK (scheme IN ('http', 'https')),
                        host TEXT NOT NULL,
                        port INTEGER,
                        path TEXT NOT NULL,
                        identityId INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
                        token TEXT NOT NULL,
                        createdAt DATETIME NOT NULL,
                        verifiedAt DATETIME,
                        verifiedBy TEXT,
                        UNIQUE (host, path, identityId)
                    );
                    CREATE INDEX old_root_claim_identity ON old_root_claim(identityId);
                    -- An old address may now be recorded by the blogs of several claimants, each
                    -- waiting for its claim: the first verified one is followed.
                    CREATE TABLE redirect_new (
                        host TEXT NOT NULL,
                        path TEXT NOT NULL,
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        postId INTEGER,
                        target TEXT NOT NULL,
                        PRIMARY KEY (host, path, blogId)
                    ) WITHOUT ROWID;
                    INSERT INTO redirect_new (host, path, blogId, postId, target) SELECT host, path, blogId, postId, target FROM redirect;
                    DROP TRIGGER post_redirects_removed;
                    DROP TABLE redirect;
                    ALTER TABLE redirect_new RENAME TO redirect;
                    CREATE INDEX redirect_blog_post ON redirect(blogId, postId);
                    CREATE TRIGGER post_redirects_removed AFTER DELETE ON post BEGIN
                        DELETE FROM redirect WHERE blogId = OLD.blogId AND postId = OLD.id;
                    END;
                    """)
            // Addresses recorded before claims keep working where one identity recorded a
            // host; where several did, each waits for verification like a new claim.
            let holders = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.host, b.ownerId, COUNT(*) OVER (PARTITION BY r.host) AS holders
                    FROM (SELECT DISTINCT host, blogId FROM redirect) r JOIN blog b ON b.id = r.blogId
                    GROUP BY r.host, b.ownerId
                    """)
            for row in holders {
                let only = (row["holders"] as Int) == 1
                try db.execute(
                    sql: """
                        INSERT INTO old_root_claim (scheme, host, path, identityId, token, createdAt, verifiedAt, verifiedBy)
                        VALUES ('http', ?, '', ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        row["host"] as String, row["ownerId"] as Int64, OldRootClaimRule.newToken(), Date(),
                        only ? Date() : nil, only ? "existing" : nil,
                    ]
                )
            }
        }
        migrator.registerMigration("020-media-used-by-posts") { db in
            try db.execute(
                sql: """
                    -- A medium is used by a post (or, as postId 0, by the blog's library: an export's
                    -- attachment no post shows); a deleted post's uses leave with it, so its media stop
                    -- being served unless something readable still uses them.
                    CREATE TABLE media_use_new (
                        hash TEXT NOT NULL REFERENCES media(hash) ON DELETE CASCADE,
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        postId INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (hash, blogId, postId)
                    ) WITHOUT ROWID;
                    """)
            // Uses recorded by blog are found again in the posts that show them; a medium that
            // no post shows stays the blog's.
            let pattern = try NSRegularExpression(pattern: "/media/([0-9a-f]{64})\\.")
            let posts = try Row.fetchCursor(db, sql: "SELECT id, blogId, content FROM post WHERE content LIKE '%/media/%'")
            while let post = try posts.next() {
                let content: String = post["content"]
                let range = NSRange(content.startIndex..., in: content)
                for match in pattern.matches(in: content, range: range) {
                    guard let hash = Range(match.range(at: 1), in: content).map({ String(content[$0]) }) else { continue }
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO media_use_new (hash, blogId, postId)
                            SELECT hash, blogId, ? FROM media_use WHERE hash = ? AND blogId = ?
                            """,
                        arguments: [post["id"] as Int64, hash, post["blogId"] as Int64]
                    )
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO media_use_new (hash, blogId, postId)
                    SELECT hash, blogId, 0 FROM media_use u
                    WHERE NOT EXISTS (SELECT 1 FROM media_use_new n WHERE n.hash = u.hash AND n.blogId = u.blogId);
                    DROP TABLE media_use;
                    ALTER TABLE media_use_new RENAME TO media_use;
                    CREATE INDEX media_use_blog_post ON media_use(blogId, postId);
                    CREATE TRIGGER post_media_released AFTER DELETE ON post BEGIN
                        DELETE FROM media_use WHERE blogId = OLD.blogId AND postId = OLD.id;
                    END;
                    """)
        }
        migrator.registerMigration("021-migration-attempts-and-bytes") { db in
            try db.execute(
                sql: """
                    -- How often a migration was started (one left running by a crash is retried a
                    -- bounded number of times), and the size of its upload (each owner's waiting
                    -- uploads are capped in number and bytes).
                    ALTER TABLE migration ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE migration ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX migration_owner_status ON migration(ownerId, status);
                    """)
        }
        migrator.registerMigration("022-comments-by-time") { db in
            try db.execute(
                sql: """
                    -- A post's comments are read a page at a time in the order they were written
                    -- (imports insert them in any order); this index also serves the cascade that
                    -- `comment_post` served.
                    CREATE INDEX comment_post_time ON comment(postId, createdAt, id);
                    DROP INDEX comment_post;
                    """)
        }
    }
}
