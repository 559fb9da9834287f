import GRDB

extension AppDatabase {
    /// The versioned schema. Migrations are append-only and written in SQL so that they never
    /// change meaning when Swift types do: add a new one, never edit a shipped one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("001-identities-sessions-contacts") { db in
            try db.execute(sql: """
                CREATE TABLE identity (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    handle TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    passwordHash TEXT NOT NULL,
                    displayName TEXT NOT NULL,
                    bio TEXT,
                    location TEXT,
                    website TEXT,
                    photoURL TEXT,
                    createdAt DATETIME NOT NULL,
                    updatedAt DATETIME NOT NULL
                );

                -- Only a SHA-256 of each bearer token is kept: a copy of the database signs no one in.
                CREATE TABLE session (
                    tokenHash BLOB PRIMARY KEY NOT NULL,
                    identityId INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
                    createdAt DATETIME NOT NULL,
                    expiresAt DATETIME NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX session_identity ON session(identityId, expiresAt);

                -- Each relationship is two rows, one per side, so "my contacts" is one index
                -- range. Handles never change, so the other side's handle is copied here to page
                -- through a list in handle order straight from the index.
                CREATE TABLE contact (
                    identityId INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
                    contactId INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
                    contactHandle TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('outgoing', 'incoming', 'accepted')),
                    since DATETIME NOT NULL,
                    PRIMARY KEY (identityId, contactId),
                    CHECK (identityId <> contactId)
                ) WITHOUT ROWID;
                CREATE UNIQUE INDEX contact_by_handle ON contact(identityId, contactHandle);
                CREATE INDEX contact_reverse ON contact(contactId);
                """)
        }
        migrator.registerMigration("002-blogs") { db in
            try db.execute(sql: """
                CREATE TABLE blog (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    slug TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    ownerId INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
                    title TEXT NOT NULL,
                    language TEXT NOT NULL,
                    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private', 'hidden')),
                    createdAt DATETIME NOT NULL,
                    updatedAt DATETIME NOT NULL
                );
                CREATE INDEX blog_owner ON blog(ownerId, slug);
                """)
        }
        return migrator
    }
}
