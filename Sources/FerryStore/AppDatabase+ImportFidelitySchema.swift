import FerryCore
import GRDB

extension AppDatabase {
    /// Migrations of the import-fidelity work (issue 13), appended after `014`.
    static func registerImportFidelityMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("015-migration-new-blog-settings") { db in
            try db.execute(
                sql: """
                    -- What the owner chose for the blog a migration creates (the move's last step);
                    -- null means the export's title and language, and public.
                    ALTER TABLE migration ADD COLUMN blogTitle TEXT;
                    ALTER TABLE migration ADD COLUMN blogLanguage TEXT;
                    ALTER TABLE migration ADD COLUMN blogVisibility TEXT CHECK (blogVisibility IN ('public', 'private', 'hidden'));
                    """)
        }
        migrator.registerMigration("016-old-addresses-normalised") { db in
            // Old addresses were recorded with escapes as the export spelled them; they are
            // now kept as RFC 3986 normalises them (`PercentEncoding`). Where two spellings of
            // one address were recorded, the one already normalised keeps it.
            let rows = try Row.fetchAll(db, sql: "SELECT host, path FROM redirect WHERE path LIKE '%\\%%' ESCAPE '\\' OR path GLOB '*[^ -~]*'")
            for row in rows {
                let host: String = row["host"]
                let path: String = row["path"]
                let normalized = PercentEncoding.normalized(path)
                guard normalized != path else { continue }
                try db.execute(sql: "UPDATE OR IGNORE redirect SET path = ? WHERE host = ? AND path = ?", arguments: [normalized, host, path])
                try db.execute(sql: "DELETE FROM redirect WHERE host = ? AND path = ?", arguments: [host, path])
            }
        }
        migrator.registerMigration("017-pages") { db in
            try db.execute(
                sql: """
                    -- An imported page lives at /{blog}/pages/{slug}: its slug is unique among the
                    -- blog's pages, and it is never an entry of the blog's feed or archives.
                    ALTER TABLE post ADD COLUMN kind TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'page'));
                    CREATE UNIQUE INDEX post_page_slug ON post(blogId, slug) WHERE kind = 'page';
                    """)
        }
        migrator.registerMigration("018-site-settings") { db in
            try db.execute(
                sql: """
                    -- Values fixed once per installation (the authority of the Atom ids ferry writes),
                    -- kept with the data so that they never change, wherever the site is reached.
                    CREATE TABLE site_setting (
                        name TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
    }
}
