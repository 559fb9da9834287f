import GRDB

extension AppDatabase {
    /// Migrations of the pages readers see, rendered once per change (issue 20), after `031`.
    static func registerReaderMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("032-profile-changes") { db in
            // A profile's change is followed like a blog's: a row with the identity and
            // `blogId` 0 (SQLite cannot drop the column's NOT NULL without rebuilding the table).
            try db.execute(sql: "ALTER TABLE blog_change ADD COLUMN identityId INTEGER")
        }
        migrator.registerMigration("033-sitemap-parts") { db in
            try db.execute(sql: sitemapPartsSQL)
        }
        migrator.registerMigration("034-page-dates") { db in
            try db.execute(sql: pageDatesSQL)
        }
    }
}

/// The sitemap is an index over parts of at most 50,000 URLs (sitemaps.org's limit): blog
/// homes by blog id and posts by post id, 50,000 ids to a part. Triggers note when each part
/// last changed, in the writes that change it, so the index is read from one small table and
/// a crawler is sent only to the parts that changed. Only what the sitemap shows marks a
/// part: a private blog's or a draft's change would otherwise tell the world when it happened.
private let sitemapPartsSQL = """
    CREATE TABLE sitemap_part (
        kind TEXT NOT NULL CHECK (kind IN ('blogs', 'posts')),
        part INTEGER NOT NULL,
        changedAt DATETIME NOT NULL,
        PRIMARY KEY (kind, part)
    ) WITHOUT ROWID;
    INSERT INTO sitemap_part (kind, part, changedAt)
        SELECT kind, part, max(changedAt) FROM (
            SELECT 'blogs' AS kind, id / 50000 AS part, updatedAt AS changedAt FROM blog WHERE visibility = 'public'
            UNION ALL SELECT 'blogs', p.blogId / 50000, p.updatedAt FROM post p JOIN blog b ON b.id = p.blogId
                WHERE b.visibility = 'public' AND p.kind <> 'draft'
            UNION ALL SELECT 'posts', p.id / 50000, p.updatedAt FROM post p JOIN blog b ON b.id = p.blogId
                WHERE b.visibility = 'public' AND p.kind <> 'draft'
        ) WHERE true GROUP BY kind, part;
    \(sitemapTrigger(
        "post_insert", "AFTER INSERT ON post", when: "NEW.kind <> 'draft' AND \(isPublic("NEW.blogId"))",
        marking: [("posts", "NEW.id"), ("blogs", "NEW.blogId")]))
    \(sitemapTrigger(
        "post_update", "AFTER UPDATE ON post", when: "(NEW.kind <> 'draft' OR OLD.kind <> 'draft') AND \(isPublic("NEW.blogId"))",
        marking: [("posts", "NEW.id"), ("blogs", "NEW.blogId")]))
    \(sitemapTrigger(
        "post_delete", "AFTER DELETE ON post", when: "OLD.kind <> 'draft' AND \(isPublic("OLD.blogId"))",
        marking: [("posts", "OLD.id"), ("blogs", "OLD.blogId")]))
    \(sitemapTrigger("blog_insert", "AFTER INSERT ON blog", when: isShown("NEW"), marking: [("blogs", "NEW.id")]))
    \(sitemapTrigger("blog_update", "AFTER UPDATE ON blog", when: "\(isShown("OLD")) OR \(isShown("NEW"))", marking: [("blogs", "NEW.id")]))
    \(sitemapTrigger("blog_delete", "AFTER DELETE ON blog", when: isShown("OLD"), marking: [("blogs", "OLD.id")]))
    -- A blog whose address or visibility changes changes the parts that hold its posts.
    CREATE TRIGGER sitemap_blog_posts AFTER UPDATE OF slug, visibility ON blog
    WHEN (OLD.slug IS NOT NEW.slug OR OLD.visibility IS NOT NEW.visibility) AND (\(isShown("OLD")) OR \(isShown("NEW")))
    BEGIN \(markingPostParts) END;
    """

/// A page's `lastmod` is the last change of anything it shows, and not all of that is in the
/// rows it is read from: a post page shows its comments, its blog's page links and its owner's
/// name and photo; a blog home shows the comment counts of its newest posts and loses a post
/// that is removed. The writes that change those note when they did, so that a removal or
/// a rename moves the date too, and a blog whose every page changed marks its posts' parts.
private let pageDatesSQL = """
    ALTER TABLE post ADD COLUMN commentsChangedAt DATETIME;
    ALTER TABLE blog ADD COLUMN everyPageChangedAt DATETIME;
    ALTER TABLE blog ADD COLUMN homeListChangedAt DATETIME;
    UPDATE post SET commentsChangedAt = (SELECT max(createdAt) FROM comment WHERE postId = post.id)
        WHERE id IN (SELECT postId FROM comment);

    DROP TRIGGER comment_added;
    CREATE TRIGGER comment_added AFTER INSERT ON comment WHEN NEW.sourceId IS NULL BEGIN
        UPDATE post SET commentCount = commentCount + 1, commentsChangedAt = \(sqliteNow) WHERE id = NEW.postId;
    END;
    DROP TRIGGER comment_removed;
    CREATE TRIGGER comment_removed AFTER DELETE ON comment BEGIN
        UPDATE post SET commentCount = commentCount - 1, commentsChangedAt = \(sqliteNow) WHERE id = OLD.postId;
    END;

    -- Every page of a blog links its pages and names its owner (with a photo once linked).
    CREATE TRIGGER page_dates_page_added AFTER INSERT ON post WHEN NEW.kind = 'page' BEGIN
        UPDATE blog SET everyPageChangedAt = \(sqliteNow) WHERE id = NEW.blogId;
    END;
    CREATE TRIGGER page_dates_page_removed AFTER DELETE ON post WHEN OLD.kind = 'page' BEGIN
        UPDATE blog SET everyPageChangedAt = \(sqliteNow) WHERE id = OLD.blogId;
    END;
    CREATE TRIGGER page_dates_page_changed AFTER UPDATE OF kind, title, slug ON post
    WHEN 'page' IN (OLD.kind, NEW.kind) AND (OLD.kind IS NOT NEW.kind OR OLD.title IS NOT NEW.title OR OLD.slug IS NOT NEW.slug) BEGIN
        UPDATE blog SET everyPageChangedAt = \(sqliteNow) WHERE id = NEW.blogId;
    END;
    CREATE TRIGGER page_dates_owner_changed AFTER UPDATE OF displayName, photoURL ON identity
    WHEN OLD.displayName IS NOT NEW.displayName OR OLD.photoURL IS NOT NEW.photoURL BEGIN
        UPDATE blog SET everyPageChangedAt = \(sqliteNow) WHERE ownerId = NEW.id;
    END;
    -- A comment shows its author's name as it is now.
    CREATE TRIGGER page_dates_commenter_renamed AFTER UPDATE OF displayName ON identity WHEN OLD.displayName IS NOT NEW.displayName BEGIN
        UPDATE post SET commentsChangedAt = \(sqliteNow) WHERE id IN (SELECT postId FROM comment WHERE authorId = NEW.id);
    END;
    CREATE TRIGGER page_dates_link_changed AFTER UPDATE OF linkedAt ON blog
    WHEN (OLD.linkedAt IS NULL) <> (NEW.linkedAt IS NULL) BEGIN
        UPDATE blog SET everyPageChangedAt = \(sqliteNow) WHERE id = NEW.id;
    END;

    -- The home lists the newest posts: one added, removed, redated or made a draft changes the
    -- list. An edit of a post it shows is that post's own date. A blog imported in stages
    -- notes nothing post by post.
    CREATE TRIGGER page_dates_post_added AFTER INSERT ON post WHEN NEW.kind = 'post' BEGIN
        UPDATE blog SET homeListChangedAt = \(sqliteNow) WHERE id = NEW.blogId AND slug NOT LIKE '~%';
    END;
    CREATE TRIGGER page_dates_post_removed AFTER DELETE ON post WHEN OLD.kind = 'post' BEGIN
        UPDATE blog SET homeListChangedAt = \(sqliteNow) WHERE id = OLD.blogId AND slug NOT LIKE '~%';
    END;
    CREATE TRIGGER page_dates_post_moved AFTER UPDATE OF kind, publishedAt ON post
    WHEN 'post' IN (OLD.kind, NEW.kind) AND (OLD.kind IS NOT NEW.kind OR OLD.publishedAt IS NOT NEW.publishedAt) BEGIN
        UPDATE blog SET homeListChangedAt = \(sqliteNow) WHERE id = NEW.blogId AND slug NOT LIKE '~%';
    END;

    -- A blog's address, visibility and settings, and what every page of it shows, are on each of
    -- its post pages: one trigger for all of them, so that a change of several marks once.
    DROP TRIGGER sitemap_blog_posts;
    CREATE TRIGGER sitemap_blog_posts AFTER UPDATE OF slug, visibility, updatedAt, everyPageChangedAt ON blog
    WHEN (OLD.slug IS NOT NEW.slug OR OLD.visibility IS NOT NEW.visibility OR OLD.updatedAt IS NOT NEW.updatedAt
        OR OLD.everyPageChangedAt IS NOT NEW.everyPageChangedAt) AND (\(isShown("OLD")) OR \(isShown("NEW")))
    BEGIN \(markingPostParts) END;
    """

private let sqliteNow = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

/// Marks the parts that hold the posts of the blog `NEW`, in a trigger on `blog`.
private let markingPostParts = """
    INSERT INTO sitemap_part (kind, part, changedAt)
            SELECT DISTINCT 'posts', id / 50000, \(sqliteNow) FROM post WHERE blogId = NEW.id AND kind <> 'draft'
            ON CONFLICT (kind, part) DO UPDATE SET changedAt = excluded.changedAt;
    """

/// Whether the blog is public and in place. A blog still being imported in stages (its slug
/// starts with `~`) marks nothing post by post: taking its slug marks all its parts at once.
private func isPublic(_ blogID: String) -> String {
    "(SELECT visibility = 'public' AND slug NOT LIKE '~%' FROM blog WHERE id = \(blogID))"
}

/// The same of the blog row `row` (`NEW` or `OLD`) in a trigger on `blog`.
private func isShown(_ row: String) -> String {
    "(\(row).visibility = 'public' AND \(row).slug NOT LIKE '~%')"
}

private func sitemapTrigger(_ name: String, _ event: String, when condition: String, marking parts: [(kind: String, id: String)]) -> String {
    let marks = parts.map { part in
        """
        INSERT INTO sitemap_part (kind, part, changedAt) VALUES ('\(part.kind)', \(part.id) / 50000, \(sqliteNow))
                ON CONFLICT (kind, part) DO UPDATE SET changedAt = excluded.changedAt;
        """
    }
    return "CREATE TRIGGER sitemap_\(name) \(event) WHEN \(condition) BEGIN \(marks.joined(separator: " ")) END;"
}
