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
    BEGIN
        INSERT INTO sitemap_part (kind, part, changedAt)
            SELECT DISTINCT 'posts', id / 50000, strftime('%Y-%m-%d %H:%M:%f', 'now') FROM post WHERE blogId = NEW.id AND kind <> 'draft'
            ON CONFLICT (kind, part) DO UPDATE SET changedAt = excluded.changedAt;
    END;
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
        INSERT INTO sitemap_part (kind, part, changedAt) VALUES ('\(part.kind)', \(part.id) / 50000, strftime('%Y-%m-%d %H:%M:%f', 'now'))
                ON CONFLICT (kind, part) DO UPDATE SET changedAt = excluded.changedAt;
        """
    }
    return "CREATE TRIGGER sitemap_\(name) \(event) WHEN \(condition) BEGIN \(marks.joined(separator: " ")) END;"
}
