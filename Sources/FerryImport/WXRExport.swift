import FerryCore
import FerryRender
import FerryStore
import Foundation

/// The offline copy of a blog: a WordPress eXtended RSS 1.2 document (posts, pages, tags,
/// threaded comments, and the photos and videos as attachments with absolute URLs) that
/// WordPress — or ferry itself — can import. Each post's guid is its
/// feed entry id, so a round trip keeps every entry's identity. Written a page of posts at a
/// time, so memory stays flat however large the blog is.
public struct WXRExport: Sendable {
    public let database: any Store
    /// The site's absolute address, for links.
    public let siteURL: String

    /// The `<generator>` of ferry's offline copies: its posts are HTML as ferry shows them.
    static let generator = "ferry offline copy"

    public init(database: any Store, siteURL: String) {
        self.database = database
        self.siteURL = siteURL
    }

    static let pageSize = 200

    public func write(_ blog: Blog, to sink: (String) async throws -> Void) async throws {
        let home = siteURL + "/\(blog.slug.rawValue)/"
        try await sink(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- An offline copy of a blog, written by ferry as WordPress eXtended RSS 1.2. -->
            <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" \
            xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel>
            <title>\(text(blog.title))</title>
            <link>\(text(home))</link>
            <description></description>
            <language>\(text(blog.language.rawValue))</language>
            <generator>\(Self.generator)</generator>
            <wp:wxr_version>1.2</wp:wxr_version>
            <wp:base_site_url>\(text(siteURL))</wp:base_site_url>
            <wp:base_blog_url>\(text(home))</wp:base_blog_url>

            """)
        var before: PostID?
        var attachments = 0
        func write(_ posts: [Post]) async throws {
            for post in posts {
                try await sink(itemHead(post, blog: blog))
                var after: CommentID?
                // A page of comments at a time: a post may have a hundred thousand.
                while true {
                    let comments = try await database.comments(of: post.id, after: after, limit: Self.pageSize)
                    if !comments.isEmpty { try await sink(comments.map(Self.comment).joined()) }
                    guard comments.count == Self.pageSize, let last = comments.last else { break }
                    after = last.id
                }
                try await sink("</item>\n")
                for media in Self.mediaPaths(in: post.content) {
                    attachments += 1
                    try await sink(attachment(siteURL + media, number: attachments, parent: post))
                }
            }
        }
        while true {
            let posts = try await database.posts(in: blog.id, before: before, limit: Self.pageSize, kinds: [.post, .draft])
            try await write(posts)
            guard posts.count == Self.pageSize, let last = posts.last else { break }
            before = last.id
        }
        try await write(try await database.pages(in: blog.id))
        try await sink("</channel>\n</rss>\n")
    }

    /// A post's `<item>` up to its comments.
    private func itemHead(_ post: Post, blog: Blog) -> String {
        // Pages imported before pages had addresses of their own were tagged `page`.
        let isPage = post.kind == .page || post.tags.contains { $0.lowercased() == "page" }
        let date = UTCDate.wordpress(post.publishedAt)
        var xml = """
            <item>
            <title>\(text(post.title))</title>
            <link>\(text(siteURL + Permalink.path(blog: blog.slug, post: post)))</link>
            <pubDate>\(UTCDate.rfc822(post.publishedAt))</pubDate>
            <guid isPermaLink="false">\(text(post.entryID))</guid>
            <description></description>
            <content:encoded>\(cdata(absoluteMedia(post.content)))</content:encoded>
            <excerpt:encoded><![CDATA[]]></excerpt:encoded>
            <wp:post_id>\(post.id.rawValue)</wp:post_id>
            <wp:post_date_gmt>\(date)</wp:post_date_gmt>
            <wp:post_name>\(text(post.slug.rawValue))</wp:post_name>
            <wp:status>\(post.kind == .draft ? "draft" : "publish")</wp:status>
            <wp:post_type>\(isPage ? "page" : "post")</wp:post_type>

            """
        for tag in post.tags where !(isPage && tag.lowercased() == "page") {
            xml += "<category domain=\"post_tag\" nicename=\"\(attribute(PostSlug(title: tag).rawValue))\">\(cdata(tag))</category>\n"
        }
        return xml
    }

    private static func comment(_ comment: Comment) -> String {
        """
        <wp:comment>
        <wp:comment_id>\(comment.id.rawValue)</wp:comment_id>
        <wp:comment_author>\(cdata(comment.author.displayName))</wp:comment_author>
        <wp:comment_author_url>\(text(comment.authorURL ?? ""))</wp:comment_author_url>
        <wp:comment_date_gmt>\(UTCDate.wordpress(comment.createdAt))</wp:comment_date_gmt>
        <wp:comment_content>\(cdata(comment.content))</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved>
        <wp:comment_parent>\(comment.parentID?.rawValue ?? 0)</wp:comment_parent>
        </wp:comment>

        """
    }

    /// A stored photo or video as a WordPress attachment of `parent`. Attachment ids start far
    /// above post ids so the two never collide.
    private func attachment(_ url: String, number: Int, parent: Post) -> String {
        """
        <item>
        <title>\(text(URL(fileURLWithPath: url).lastPathComponent))</title>
        <link>\(text(url))</link>
        <guid isPermaLink="false">\(text(url))</guid>
        <wp:post_id>\(1_000_000_000 + number)</wp:post_id>
        <wp:post_date_gmt>\(UTCDate.wordpress(parent.publishedAt))</wp:post_date_gmt>
        <wp:status>inherit</wp:status>
        <wp:post_parent>\(parent.id.rawValue)</wp:post_parent>
        <wp:post_type>attachment</wp:post_type>
        <wp:attachment_url>\(text(url))</wp:attachment_url>
        </item>

        """
    }

    /// `/media/…` addresses in sanitized HTML (always double-quoted attributes), in order, once each.
    static func mediaPaths(in html: String) -> [String] {
        var seen: Set<String> = []
        return html.components(separatedBy: "\"" + SitePath.mediaPrefix).dropFirst().compactMap { rest in
            let name = rest.prefix { $0 != "\"" }
            guard !name.isEmpty, seen.insert(String(name)).inserted else { return nil }
            return SitePath.mediaPrefix + name
        }
    }

    /// The copy's photos and videos point at this site, so that WordPress can fetch them.
    private func absoluteMedia(_ html: String) -> String {
        html.replacingOccurrences(of: "\"" + SitePath.mediaPrefix, with: "\"" + siteURL + SitePath.mediaPrefix)
    }

    private func text(_ value: String) -> String { Self.text(value) }
    private func attribute(_ value: String) -> String { MarkupEscaping.attribute(value) }
    private func cdata(_ value: String) -> String { Self.cdata(value) }
    private static func text(_ value: String) -> String { MarkupEscaping.text(value) }

    /// CDATA as WordPress writes it; a `]]>` inside is split across two sections.
    private static func cdata(_ value: String) -> String {
        let safe = String(String.UnicodeScalarView(value.unicodeScalars.filter(MarkupEscaping.isAllowedInXML)))
        return "<![CDATA[" + safe.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }
}
