import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Migrations of the hardening work (issue 14), appended after `018`.
    static func registerHardeningMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("019-old-root-claims") { db in
            try db.execute(sql: """
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
            let holders = try Row.fetchAll(db, sql: """
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
                    arguments: [row["host"] as String, row["ownerId"] as Int64, OldRootClaims.newToken(), Date(),
                                only ? Date() : nil, only ? "existing" : nil]
                )
            }
        }
    }
}
