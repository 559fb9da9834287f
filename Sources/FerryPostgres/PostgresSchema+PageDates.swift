extension PostgresSchema {
    /// SQLite's `034-page-dates`: the writes that change what a page shows beyond the rows it
    /// is read from note when they did, so that a page's `lastmod` moves with a removed comment,
    /// a renamed page link or owner, or a post gone from the home. The post triggers run once per
    /// statement, as the sitemap's do, so that an import's `COPY` pays once.
    static let pageDatesSQL = """
        \(postPartMarkers(create: "CREATE OR REPLACE FUNCTION"))
        ALTER TABLE post ADD COLUMN commentsChangedAt TIMESTAMPTZ;
        ALTER TABLE blog ADD COLUMN everyPageChangedAt TIMESTAMPTZ, ADD COLUMN homeListChangedAt TIMESTAMPTZ;
        UPDATE post SET commentsChangedAt = newest.createdAt
            FROM (SELECT postId, max(createdAt) AS createdAt FROM comment GROUP BY postId) newest WHERE post.id = newest.postId;

        CREATE OR REPLACE FUNCTION comment_counted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                UPDATE post SET commentCount = commentCount - 1, commentsChangedAt = clock_timestamp() WHERE id = OLD.postId;
            ELSIF NEW.sourceId IS NULL THEN
                UPDATE post SET commentCount = commentCount + 1, commentsChangedAt = clock_timestamp() WHERE id = NEW.postId;
            END IF;
            RETURN NULL;
        END $$;

        -- Every page of a blog links its pages; its home lists its newest posts.
        CREATE FUNCTION page_dates_posts_added_or_removed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            stamp TIMESTAMPTZ := clock_timestamp();
        BEGIN
            UPDATE blog SET everyPageChangedAt = stamp WHERE id IN (SELECT blogId FROM changed_rows WHERE kind = 'page');
            UPDATE blog SET homeListChangedAt = stamp
                WHERE id IN (SELECT blogId FROM changed_rows WHERE kind = 'post') AND slug NOT LIKE '~%';
            RETURN NULL;
        END $$;
        CREATE FUNCTION page_dates_posts_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            stamp TIMESTAMPTZ := clock_timestamp();
        BEGIN
            UPDATE blog SET everyPageChangedAt = stamp WHERE id IN (
                SELECT n.blogId FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE 'page' IN (o.kind, n.kind) AND (o.kind <> n.kind OR o.title <> n.title OR o.slug <> n.slug));
            UPDATE blog SET homeListChangedAt = stamp WHERE slug NOT LIKE '~%' AND id IN (
                SELECT n.blogId FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE 'post' IN (o.kind, n.kind) AND (o.kind <> n.kind OR o.publishedAt <> n.publishedAt));
            RETURN NULL;
        END $$;
        CREATE TRIGGER page_dates_posts_added AFTER INSERT ON post REFERENCING NEW TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION page_dates_posts_added_or_removed();
        CREATE TRIGGER page_dates_posts_removed AFTER DELETE ON post REFERENCING OLD TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION page_dates_posts_added_or_removed();
        CREATE TRIGGER page_dates_posts_changed AFTER UPDATE ON post REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION page_dates_posts_changed();

        -- Every page names its owner, with a photo once the blog is linked; a comment shows its
        -- author's name as it is now.
        CREATE FUNCTION page_dates_identity_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            commented BIGINT[] := CASE WHEN OLD.displayName IS DISTINCT FROM NEW.displayName
                THEN ARRAY(SELECT DISTINCT postId FROM comment WHERE authorId = NEW.id ORDER BY postId) ELSE '{}' END;
        BEGIN
            -- Rows are locked as every writer takes them: posts, then blogs, then sitemap parts.
            PERFORM 1 FROM post WHERE id = ANY(commented) ORDER BY id FOR UPDATE;
            UPDATE blog SET everyPageChangedAt = clock_timestamp() WHERE ownerId = NEW.id;
            UPDATE post SET commentsChangedAt = clock_timestamp() WHERE id = ANY(commented);
            RETURN NULL;
        END $$;
        CREATE TRIGGER page_dates_identity_changed AFTER UPDATE ON identity FOR EACH ROW
            WHEN (OLD.displayName IS DISTINCT FROM NEW.displayName OR OLD.photoURL IS DISTINCT FROM NEW.photoURL)
            EXECUTE FUNCTION page_dates_identity_changed();
        CREATE FUNCTION page_dates_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.everyPageChangedAt := clock_timestamp();
            RETURN NEW;
        END $$;
        CREATE TRIGGER page_dates_link_changed BEFORE UPDATE ON blog FOR EACH ROW
            WHEN ((OLD.linkedAt IS NULL) <> (NEW.linkedAt IS NULL))
            EXECUTE FUNCTION page_dates_link_changed();

        -- A blog's settings and what every page of it shows are on each of its post pages.
        CREATE FUNCTION sitemap_mark_blog_pages() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
            INSERT INTO sitemap_part (kind, part, changedAt)
                SELECT 'posts', id / 50000, clock_timestamp() FROM post WHERE blogId = NEW.id AND kind <> 'draft' GROUP BY id / 50000 ORDER BY 2
            ON CONFLICT (kind, part) DO UPDATE SET changedAt = excluded.changedAt;
            RETURN NULL;
        END $$;
        CREATE TRIGGER sitemap_blog_pages AFTER UPDATE ON blog FOR EACH ROW
            WHEN ((OLD.updatedAt IS DISTINCT FROM NEW.updatedAt OR OLD.everyPageChangedAt IS DISTINCT FROM NEW.everyPageChangedAt)
                AND ((OLD.visibility = 'public' AND OLD.slug NOT LIKE '~%') OR (NEW.visibility = 'public' AND NEW.slug NOT LIKE '~%')))
            EXECUTE FUNCTION sitemap_mark_blog_pages();
        """
}
