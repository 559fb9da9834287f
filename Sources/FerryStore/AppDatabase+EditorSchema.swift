import GRDB

extension AppDatabase {
    /// Migrations of the desktop editors (issue 17), appended after `024`.
    static func registerEditorMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("025-drafts") { db in
            // A draft is a post its owner has not published: a kind of its own, so that every
            // query that asks for posts or pages never sees one. SQLite cannot widen a CHECK in
            // place, so the table is rebuilt (foreign keys are off during a migration, and the
            // references to `post` follow the rename); ids and the id sequence are kept.
            // Triggers of other tables that write to `post` would stop the rename: they are
            // set aside and put back as they were.
            let triggers = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name <> 'post' AND sql LIKE '%post%'")
            for trigger in triggers {
                try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)")
            }
            try db.execute(
                sql: """
                    CREATE TABLE post_new (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        entryId TEXT NOT NULL,
                        month TEXT NOT NULL,
                        slug TEXT NOT NULL,
                        title TEXT NOT NULL,
                        content TEXT NOT NULL,
                        tags TEXT NOT NULL,
                        publishedAt DATETIME NOT NULL,
                        updatedAt DATETIME NOT NULL,
                        commentCount INTEGER NOT NULL DEFAULT 0,
                        kind TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'page', 'draft')),
                        UNIQUE (blogId, month, slug),
                        UNIQUE (blogId, entryId)
                    );
                    INSERT INTO post_new (id, blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, commentCount, kind)
                        SELECT id, blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, commentCount, kind FROM post;
                    DELETE FROM sqlite_sequence WHERE name = 'post_new';
                    INSERT INTO sqlite_sequence (name, seq) SELECT 'post_new', seq FROM sqlite_sequence WHERE name = 'post';
                    DROP TABLE post;
                    ALTER TABLE post_new RENAME TO post;
                    CREATE INDEX post_newest ON post(blogId, publishedAt DESC, id DESC);
                    CREATE UNIQUE INDEX post_page_slug ON post(blogId, slug) WHERE kind = 'page';
                    CREATE TRIGGER post_redirects_removed AFTER DELETE ON post BEGIN
                        DELETE FROM redirect WHERE blogId = OLD.blogId AND postId = OLD.id;
                    END;
                    CREATE TRIGGER post_media_released AFTER DELETE ON post BEGIN
                        DELETE FROM media_use WHERE blogId = OLD.blogId AND postId = OLD.id;
                    END;
                    """)
            for trigger in triggers {
                try db.execute(sql: trigger["sql"])
            }
        }
    }
}
