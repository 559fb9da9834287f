import GRDB

extension AppDatabase {
    /// The versioned schema. Migrations are append-only and written in SQL so that they never
    /// change meaning when Swift types do: add a new one, never edit a shipped one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("001-identities-sessions-contacts") { db in
            try db.execute(
                sql: """
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
            try db.execute(
                sql: """
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
        migrator.registerMigration("003-posts-comments") { db in
            try db.execute(
                sql: """
                    ALTER TABLE blog ADD COLUMN allowsAnonymousComments BOOLEAN NOT NULL DEFAULT 0;
                    -- Every blog gets a random urn:uuid as its Atom feed id, fixed for life.
                    ALTER TABLE blog ADD COLUMN feedId TEXT NOT NULL DEFAULT '';
                    UPDATE blog SET feedId = 'urn:uuid:' || lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2)))
                        || '-4' || substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2)
                        || '-' || lower(hex(randomblob(6)));

                    -- A permalink is /{blog}/{month}/{slug}, fixed at creation: (blogId, month, slug) is
                    -- unique and never updated. entryId is the Atom id, also fixed (or kept from an import).
                    CREATE TABLE post (
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
                        UNIQUE (blogId, month, slug),
                        UNIQUE (blogId, entryId)
                    );
                    CREATE INDEX post_newest ON post(blogId, publishedAt DESC, id DESC);

                    -- authorId is null for a visitor's comment, which carries authorName instead.
                    CREATE TABLE comment (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        postId INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
                        authorId INTEGER REFERENCES identity(id) ON DELETE CASCADE,
                        authorName TEXT,
                        content TEXT NOT NULL,
                        createdAt DATETIME NOT NULL,
                        CHECK ((authorId IS NULL) <> (authorName IS NULL))
                    );
                    CREATE INDEX comment_post ON comment(postId, id);
                    CREATE INDEX comment_author ON comment(authorId);

                    -- Feeds and pages show comment counts for many posts at once: kept on the post.
                    CREATE TRIGGER comment_added AFTER INSERT ON comment BEGIN
                        UPDATE post SET commentCount = commentCount + 1 WHERE id = NEW.postId;
                    END;
                    CREATE TRIGGER comment_removed AFTER DELETE ON comment BEGIN
                        UPDATE post SET commentCount = commentCount - 1 WHERE id = OLD.postId;
                    END;
                    """)
        }
        migrator.registerMigration("004-imports-redirects") { db in
            try db.execute(
                sql: """
                    -- Imported comments remember where they came from (so a second import adds
                    -- nothing twice), whom they answer, and their author's address.
                    ALTER TABLE comment ADD COLUMN sourceId TEXT;
                    ALTER TABLE comment ADD COLUMN parentId INTEGER REFERENCES comment(id) ON DELETE SET NULL;
                    ALTER TABLE comment ADD COLUMN authorURL TEXT;
                    CREATE UNIQUE INDEX comment_source ON comment(postId, sourceId) WHERE sourceId IS NOT NULL;

                    -- Old addresses of moved blogs and posts. host is lowercase without a trailing
                    -- dot; path has no trailing slash and keeps a query only where it names a post
                    -- (`/?p=123`). target is the new path on this site.
                    CREATE TABLE redirect (
                        host TEXT NOT NULL,
                        path TEXT NOT NULL,
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        postId INTEGER REFERENCES post(id) ON DELETE CASCADE,
                        target TEXT NOT NULL,
                        PRIMARY KEY (host, path)
                    ) WITHOUT ROWID;
                    CREATE INDEX redirect_blog ON redirect(blogId);
                    CREATE INDEX redirect_post ON redirect(postId);
                    """)
        }
        migrator.registerMigration("005-migrations") { db in
            try db.execute(
                sql: """
                    -- One import of one export into one blog. summary and report are JSON written by
                    -- the importer; the export itself waits in DATA/migrations/{id}.export.
                    CREATE TABLE migration (
                        id TEXT PRIMARY KEY NOT NULL,
                        ownerId INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
                        blogSlug TEXT NOT NULL,
                        mode TEXT NOT NULL CHECK (mode IN ('new', 'merge')),
                        status TEXT NOT NULL CHECK (status IN ('awaiting-confirmation', 'queued', 'running', 'done', 'failed')),
                        summary TEXT NOT NULL,
                        report TEXT,
                        failure TEXT,
                        createdAt DATETIME NOT NULL,
                        updatedAt DATETIME NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX migration_status ON migration(status, createdAt);
                    """)
        }
        migrator.registerMigration("006-media") { db in
            try db.execute(
                sql: """
                    -- Photos and videos stored once by the SHA-256 of their bytes (file DATA/media/HASH),
                    -- and the blogs that use each: a file is served only to someone who may read one of them.
                    CREATE TABLE media (
                        hash TEXT PRIMARY KEY NOT NULL,
                        contentType TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        createdAt DATETIME NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE media_use (
                        hash TEXT NOT NULL REFERENCES media(hash) ON DELETE CASCADE,
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        PRIMARY KEY (hash, blogId)
                    ) WITHOUT ROWID;
                    CREATE INDEX media_use_blog ON media_use(blogId);
                    """)
        }
        migrator.registerMigration("007-partial-comment-author") { db in
            // Imported comments have no author identity: indexing only those that do keeps
            // an import from maintaining an index entry per comment. Deleting an identity's
            // comments (authorId = ?) still uses it.
            try db.execute(
                sql: """
                    DROP INDEX comment_author;
                    CREATE INDEX comment_author ON comment(authorId) WHERE authorId IS NOT NULL;
                    """)
        }
        migrator.registerMigration("008-messenger-link-activities") { db in
            try db.execute(
                sql: """
                    ALTER TABLE blog ADD COLUMN linkedAt DATETIME;
                    -- What linked blogs did, for the owner's contacts. Who may see an activity is decided
                    -- when the stream is read (contacts, links and visibility as they are then).
                    CREATE TABLE activity (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        actorId INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        postId INTEGER REFERENCES post(id) ON DELETE CASCADE,
                        verb TEXT NOT NULL CHECK (verb IN ('post', 'update', 'comment', 'migrate', 'link')),
                        summary TEXT,
                        createdAt DATETIME NOT NULL
                    );
                    CREATE INDEX activity_actor ON activity(actorId, id);
                    CREATE INDEX activity_blog ON activity(blogId);
                    CREATE INDEX activity_post ON activity(postId) WHERE postId IS NOT NULL;
                    """)
        }
        migrator.registerMigration("009-activity-audience-site-secret") { db in
            try db.execute(
                sql: """
                    -- A comment activity is for one identity (the blog's owner), not for the actor's
                    -- contacts: audienceId says so. It goes away with its comment.
                    ALTER TABLE activity ADD COLUMN audienceId INTEGER REFERENCES identity(id) ON DELETE CASCADE;
                    ALTER TABLE activity ADD COLUMN commentId INTEGER REFERENCES comment(id) ON DELETE CASCADE;
                    CREATE INDEX activity_audience ON activity(audienceId, id) WHERE audienceId IS NOT NULL;
                    CREATE INDEX activity_comment ON activity(commentId) WHERE commentId IS NOT NULL;

                    -- Keys drawn once per installation (stream cursors are signed with one), kept
                    -- with the data so that they survive restarts and move with a backup.
                    CREATE TABLE site_secret (
                        name TEXT PRIMARY KEY NOT NULL,
                        secret BLOB NOT NULL
                    ) WITHOUT ROWID;
                    """)
            try db.execute(sql: "INSERT INTO site_secret (name, secret) VALUES ('stream-cursor', ?)", arguments: [SessionToken.randomBytes(32)])
        }
        migrator.registerMigration("010-actor-latest-activity") { db in
            try db.execute(
                sql: """
                    -- The newest activity each identity shared with its contacts (or newer: a deleted
                    -- activity's id stays), so a stream page seeks only into the activity ranges of
                    -- contacts who did something recently. One narrow row per identity keeps the
                    -- lookups in cache and costs one write per activity.
                    CREATE TABLE actor_latest (
                        actorId INTEGER PRIMARY KEY REFERENCES identity(id) ON DELETE CASCADE,
                        activityId INTEGER NOT NULL
                    );
                    INSERT INTO actor_latest (actorId, activityId)
                        SELECT actorId, max(id) FROM activity WHERE audienceId IS NULL GROUP BY actorId;
                    CREATE TRIGGER activity_shared AFTER INSERT ON activity WHEN NEW.audienceId IS NULL BEGIN
                        INSERT INTO actor_latest (actorId, activityId) VALUES (NEW.actorId, NEW.id)
                            ON CONFLICT (actorId) DO UPDATE SET activityId = excluded.activityId;
                    END;
                    """)
        }
        migrator.registerMigration("011-imported-comments-counted-once") { db in
            try db.execute(
                sql: """
                    -- An import adds each post's comments to its count once (ImportBatch), instead of
                    -- rewriting the post row for every comment.
                    DROP TRIGGER comment_added;
                    CREATE TRIGGER comment_added AFTER INSERT ON comment WHEN NEW.sourceId IS NULL BEGIN
                        UPDATE post SET commentCount = commentCount + 1 WHERE id = NEW.postId;
                    END;
                    """)
        }
        migrator.registerMigration("012-activity-shared-index") { db in
            try db.execute(
                sql: """
                    -- The stream's index: an actor's shared activities by id, with the blog (and the
                    -- audience, always null here, which SQLite needs to see the index covers the
                    -- query), so a page never reads the activity rows it passes over.
                    CREATE INDEX activity_shared_by_actor ON activity(actorId, id, blogId, audienceId) WHERE audienceId IS NULL;
                    DROP INDEX activity_actor;
                    """)
        }
        migrator.registerMigration("013-redirects-by-blog-and-post") { db in
            try db.execute(
                sql: """
                    -- A blog's redirects by post: an import adds them in post order, so the index grows
                    -- at its end; keyed by blog and old address it took every insert at a random place.
                    -- It serves what redirect_blog served (a blog's list, sorted after; the cascade
                    -- when a blog is deleted).
                    CREATE INDEX redirect_blog_post ON redirect(blogId, postId);
                    DROP INDEX redirect_blog;
                    """)
        }
        migrator.registerMigration("014-redirects-leave-with-their-post") { db in
            try db.execute(
                sql: """
                    -- A post's old addresses leave with it through the (blogId, postId) index, which
                    -- serves a blog's list and the cascade when a blog goes already: a foreign key on
                    -- postId needed an index of its own, and a lookup of the post, for every address
                    -- an import records. SQLite drops a foreign key only with its table.
                    CREATE TABLE redirect_new (
                        host TEXT NOT NULL,
                        path TEXT NOT NULL,
                        blogId INTEGER NOT NULL REFERENCES blog(id) ON DELETE CASCADE,
                        postId INTEGER,
                        target TEXT NOT NULL,
                        PRIMARY KEY (host, path)
                    ) WITHOUT ROWID;
                    INSERT INTO redirect_new (host, path, blogId, postId, target) SELECT host, path, blogId, postId, target FROM redirect;
                    DROP TABLE redirect;
                    ALTER TABLE redirect_new RENAME TO redirect;
                    CREATE INDEX redirect_blog_post ON redirect(blogId, postId);
                    CREATE TRIGGER post_redirects_removed AFTER DELETE ON post BEGIN
                        DELETE FROM redirect WHERE blogId = OLD.blogId AND postId = OLD.id;
                    END;
                    """)
        }
        registerImportFidelityMigrations(in: &migrator)
        registerHardeningMigrations(in: &migrator)
        registerBrowserMigrations(in: &migrator)
        registerEditorMigrations(in: &migrator)
        registerClusterMigrations(in: &migrator)
        registerSignInFailureMigrations(in: &migrator)
        registerRequestKeyMigrations(in: &migrator)
        registerWebSubMigrations(in: &migrator)
        registerReaderMigrations(in: &migrator)
        return migrator
    }
}
