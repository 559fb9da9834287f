extension PostgresSchema {
    /// SQLite's `033-sitemap-parts`: when each part of the sitemap (50,000 blog or post ids)
    /// last changed, noted by triggers in the writes that change it, for public blogs' posts
    /// and pages only (a private blog's or a draft's change would tell the world when it
    /// happened), and not while a blog is imported in stages (its slug starts with `~`; taking
    /// its slug marks its parts at once). The post triggers run once per statement over its
    /// rows, so that an import's `COPY` pays once, not per post. The functions keep the schema they were made in, so a
    /// write from a session with another `search_path` marks the right table.
    static let sitemapPartsSQL = """
        CREATE TABLE sitemap_part (
            kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('blogs', 'posts')),
            part BIGINT NOT NULL,
            changedAt TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (kind, part)
        );
        INSERT INTO sitemap_part (kind, part, changedAt)
            SELECT kind, part, max(changedAt) FROM (
                SELECT 'blogs' AS kind, id / 50000 AS part, updatedAt AS changedAt FROM blog WHERE visibility = 'public'
                UNION ALL SELECT 'blogs', p.blogId / 50000, p.updatedAt FROM post p JOIN blog b ON b.id = p.blogId
                    WHERE b.visibility = 'public' AND p.kind <> 'draft'
                UNION ALL SELECT 'posts', p.id / 50000, p.updatedAt FROM post p JOIN blog b ON b.id = p.blogId
                    WHERE b.visibility = 'public' AND p.kind <> 'draft'
            ) changes GROUP BY kind, part;

        \(postPartMarkers(create: "CREATE FUNCTION"))
        CREATE TRIGGER sitemap_post_insert AFTER INSERT ON post REFERENCING NEW TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION sitemap_mark_posts();
        CREATE TRIGGER sitemap_post_update AFTER UPDATE ON post REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION sitemap_mark_updated_posts();
        CREATE TRIGGER sitemap_post_delete AFTER DELETE ON post REFERENCING OLD TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION sitemap_mark_posts();

        CREATE FUNCTION sitemap_mark_blog() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            changed blog%ROWTYPE := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            shown BOOLEAN := (changed.visibility = 'public' AND changed.slug NOT LIKE '~%')
                OR (TG_OP = 'UPDATE' AND OLD.visibility = 'public' AND OLD.slug NOT LIKE '~%');
            stamp TIMESTAMPTZ := clock_timestamp();
        BEGIN
            IF NOT shown THEN
                RETURN NULL;
            END IF;
            INSERT INTO sitemap_part (kind, part, changedAt) VALUES ('blogs', changed.id / 50000, stamp)
            ON CONFLICT (kind, part) DO UPDATE SET changedAt = excluded.changedAt;
            -- A blog whose address or visibility changes changes the parts that hold its posts.
            IF TG_OP = 'UPDATE' AND (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.visibility IS DISTINCT FROM NEW.visibility) THEN
                INSERT INTO sitemap_part (kind, part, changedAt)
                    SELECT 'posts', id / 50000, stamp FROM post WHERE blogId = NEW.id AND kind <> 'draft' GROUP BY id / 50000 ORDER BY 2
                ON CONFLICT (kind, part) DO UPDATE SET changedAt = excluded.changedAt;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER sitemap_blog AFTER INSERT OR UPDATE OR DELETE ON blog
            FOR EACH ROW EXECUTE FUNCTION sitemap_mark_blog();
        """

    /// The functions that mark the parts showing the posts a statement inserted, updated (seen
    /// through the rows before and after it: a post that becomes a draft leaves the sitemap) or
    /// deleted. Each takes its parts in one order, blogs' before posts', lowest first, as every
    /// other writer of `sitemap_part` does, so that two writes never wait on each other.
    static func postPartMarkers(create: String) -> String {
        let updatedRows = "(SELECT id, blogId, kind FROM old_rows UNION ALL SELECT id, blogId, kind FROM new_rows)"
        return postPartMarker(create, "sitemap_mark_posts", rows: "changed_rows") + "\n"
            + postPartMarker(create, "sitemap_mark_updated_posts", rows: updatedRows)
    }

    private static func postPartMarker(_ create: String, _ name: String, rows: String) -> String {
        """
        \(create) \(name)() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            stamp TIMESTAMPTZ := clock_timestamp();
        BEGIN
            \(markingParts(of: rows))
            RETURN NULL;
        END $$;
        """
    }

    private static func markingParts(of rows: String) -> String {
        """
        WITH shown AS (
                SELECT r.id, r.blogId FROM \(rows) r JOIN blog b ON b.id = r.blogId
                WHERE r.kind <> 'draft' AND b.visibility = 'public' AND b.slug NOT LIKE '~%'
            )
            INSERT INTO sitemap_part (kind, part, changedAt)
                SELECT kind, part, stamp FROM (
                    SELECT 'blogs' AS kind, blogId / 50000 AS part FROM shown UNION SELECT 'posts', id / 50000 FROM shown
                ) parts ORDER BY kind, part
            ON CONFLICT (kind, part) DO UPDATE SET changedAt = excluded.changedAt;
        """
    }
}
