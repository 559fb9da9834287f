/// The one list of ferry's paths — pages, feeds, media and the API — used both to route and
/// to build links, by the web layer, the store and the importer alike, so that no URL is
/// spelled twice. Patterns (`…Pattern`) name route parameters in braces.
public enum SitePath {
    // MARK: Pages and files

    public static let home = "/"
    public static let healthCheck = "/healthz"
    public static let staticAssets = "/static"
    public static let robots = "/robots.txt"
    /// The sitemap index, over parts named like `blogs-0` and `posts-12`.
    public static let sitemap = "/sitemap.xml"
    public static let sitemapPartPattern = "/sitemaps/{part}.xml"
    public static func sitemapPart(_ name: String) -> String { "/sitemaps/\(name).xml" }
    public static let webFinger = "/.well-known/webfinger"
    public static let signIn = "/login"
    public static let signOut = "/logout"
    public static let signUp = "/signup"
    public static let streamHTML = "/stream"
    /// The move wizard, and each move's preview, progress and report.
    public static let move = "/move"
    public static let movePattern = "/move/{id}"
    public static let moveProgressPattern = "/move/{id}/progress"
    public static let moveConfirmPattern = "/move/{id}/confirm"
    /// The owner's dashboard: profile, blogs and their settings, past moves.
    public static let dashboard = "/me"
    public static let profileForm = "/me/profile"
    public static let blogSettingsPattern = "/me/blogs/{slug}"
    public static let blogLinkPattern = "/me/blogs/{slug}/link"
    public static let blogExportPattern = "/me/blogs/{slug}/export"
    public static let postsEditorPattern = "/me/blogs/{slug}/posts"
    public static let newPostPattern = "/me/blogs/{slug}/posts/new"
    public static let editPostPattern = "/me/blogs/{slug}/posts/{post}/edit"
    public static let deletePostPattern = "/me/blogs/{slug}/posts/{post}/delete"
    public static let contacts = "/contacts"
    public static let acceptContactPattern = "/contacts/{handle}/accept"
    public static let removeContactPattern = "/contacts/{handle}/remove"
    public static let desktopEditorHelp = "/help/desktop-editor"
    /// What every profile's path starts with, for reading a profile URL back.
    public static let profilePrefix = "/people/"
    public static let profilePattern = "/people/{handle}"
    public static let activityFeedPattern = "/people/{handle}/activity.atom"
    public static let verifyClaimFormPattern = "/claims/{id}/verify"
    public static let blogHomePattern = "/{slug}"
    public static let feedPattern = "/{slug}/feed.atom"
    /// The WebSub hub every public and hidden blog feed names (`rel="hub"`).
    public static let webSubHub = "/websub"
    /// What desktop editors read to find the blog's API (RSD) and what it supports.
    public static let rsdPattern = "/{slug}/rsd.xml"
    public static let editorManifestPattern = "/{slug}/wlwmanifest.xml"
    /// The one XML-RPC endpoint of every blog (MetaWeblog, Blogger, Movable Type, WordPress).
    public static let xmlRPC = "/xmlrpc"
    /// AtomPub (RFC 5023): each blog's service document, its collection of posts and drafts
    /// with their members, and its collection of photos and videos with their media link entries.
    public static let atomPubServicePattern = "/atompub/{slug}"
    public static let atomPubEntriesPattern = "/atompub/{slug}/entries"
    public static let atomPubEntryPattern = "/atompub/{slug}/entries/{post}"
    public static let atomPubMediaPattern = "/atompub/{slug}/media"
    public static let atomPubMediaEntryPattern = "/atompub/{slug}/media/{hash}"
    /// What every AtomPub path starts with (its errors challenge for HTTP Basic).
    public static let atomPubPrefix = "/atompub/"
    public static let archiveFeedPattern = "/{slug}/feed/{month}.atom"
    public static let permalinkPattern = "/{slug}/{year}/{month}/{post}"
    public static let pagePattern = "/{slug}/\(Permalink.pagesSegment)/{page}"
    /// Stored media, `/media/{hash}.{extension}`, wherever they are shown.
    public static let mediaPattern = "/media/{file}"
    /// What every medium's path starts with, for finding them in stored HTML.
    public static let mediaPrefix = "/media/"

    public static func profile(_ handle: Handle) -> String { profilePrefix + handle.rawValue }
    public static func activityFeed(_ handle: Handle) -> String { "/people/\(handle.rawValue)/activity.atom" }
    public static func verifyClaimForm(_ id: Int64) -> String { "/claims/\(id)/verify" }
    public static func move(_ id: String) -> String { "/move/\(id)" }
    public static func moveProgress(_ id: String) -> String { "/move/\(id)/progress" }
    public static func moveConfirm(_ id: String) -> String { "/move/\(id)/confirm" }
    public static func blogSettings(_ slug: BlogSlug) -> String { "/me/blogs/\(slug.rawValue)" }
    public static func blogLink(_ slug: BlogSlug) -> String { "/me/blogs/\(slug.rawValue)/link" }
    public static func blogExport(_ slug: BlogSlug) -> String { "/me/blogs/\(slug.rawValue)/export" }
    public static func postsEditor(_ slug: BlogSlug) -> String { "/me/blogs/\(slug.rawValue)/posts" }
    public static func newPost(_ slug: BlogSlug) -> String { "/me/blogs/\(slug.rawValue)/posts/new" }
    public static func editPost(_ slug: BlogSlug, _ id: PostID) -> String { "/me/blogs/\(slug.rawValue)/posts/\(id.rawValue)/edit" }
    public static func deletePost(_ slug: BlogSlug, _ id: PostID) -> String { "/me/blogs/\(slug.rawValue)/posts/\(id.rawValue)/delete" }
    public static func acceptContact(_ handle: Handle) -> String { "/contacts/\(handle.rawValue)/accept" }
    public static func removeContact(_ handle: Handle) -> String { "/contacts/\(handle.rawValue)/remove" }
    public static func blogHome(_ slug: BlogSlug) -> String { "/\(slug.rawValue)/" }
    public static func feed(_ slug: BlogSlug) -> String { "/\(slug.rawValue)/feed.atom" }
    public static func rsd(_ slug: BlogSlug) -> String { "/\(slug.rawValue)/rsd.xml" }
    public static func editorManifest(_ slug: BlogSlug) -> String { "/\(slug.rawValue)/wlwmanifest.xml" }
    public static func atomPubService(_ slug: BlogSlug) -> String { "\(atomPubPrefix)\(slug.rawValue)" }
    public static func atomPubEntries(_ slug: BlogSlug) -> String { "\(atomPubPrefix)\(slug.rawValue)/entries" }
    public static func atomPubEntry(_ slug: BlogSlug, _ id: PostID) -> String { "\(atomPubPrefix)\(slug.rawValue)/entries/\(id.rawValue)" }
    public static func atomPubMedia(_ slug: BlogSlug) -> String { "\(atomPubPrefix)\(slug.rawValue)/media" }
    public static func atomPubMediaEntry(_ slug: BlogSlug, hash: String) -> String { "\(atomPubPrefix)\(slug.rawValue)/media/\(hash)" }
    /// The file in the feeds folder that a static server answers `feed(slug)` with.
    public static func feedFileName(_ slug: BlogSlug) -> String { "\(slug.rawValue).atom" }
    public static func archiveFeed(_ slug: BlogSlug, _ part: ArchivePart) -> String { "/\(slug.rawValue)/feed/\(part.key).atom" }
    public static func stylesheet(_ name: String) -> String { "\(staticAssets)/\(name)" }
    public static func script(_ name: String) -> String { "\(staticAssets)/\(name)" }
    public static func media(_ hash: String, fileExtension: String) -> String { "\(mediaPrefix)\(hash).\(fileExtension)" }
    public static func permalink(_ blog: BlogSlug, _ post: Post) -> String { Permalink.path(blog: blog, post: post) }
    public static func page(_ blog: BlogSlug, _ slug: PostSlug) -> String { Permalink.pagePath(blog: blog, slug: slug) }

    public static func permalink(_ blog: BlogSlug, month: PostMonth, slug: PostSlug) -> String {
        Permalink.path(blog: blog, month: month, slug: slug)
    }

    // MARK: The JSON API

    public enum API {
        public static let identities = "/api/identities"
        public static let me = "/api/me"
        public static let myBlogs = "/api/me/blogs"
        public static let stream = "/api/me/stream"
        public static let streamFeed = "/api/me/stream.atom"
        public static let contacts = "/api/me/contacts"
        public static let contactPattern = "/api/me/contacts/{handle}"
        public static let acceptContactPattern = "/api/me/contacts/{handle}/accept"
        public static let sessions = "/api/sessions"
        public static let currentSession = "/api/sessions/current"
        public static let blogs = "/api/blogs"
        public static let blogPattern = "/api/blogs/{slug}"
        public static let redirectsPattern = "/api/blogs/{slug}/redirects"
        /// The blog's WebSub topic and its subscribers, for its owner.
        public static let webSubPattern = "/api/blogs/{slug}/websub"
        public static let messengerLinkPattern = "/api/blogs/{slug}/messenger-link"
        public static let exportPattern = "/api/blogs/{slug}/export"
        public static let uploadsPattern = "/api/blogs/{slug}/media"
        public static let postsPattern = "/api/blogs/{slug}/posts"
        public static let postPattern = "/api/blogs/{slug}/posts/{post}"
        public static let commentsPattern = "/api/blogs/{slug}/posts/{post}/comments"
        public static let commentPattern = "/api/blogs/{slug}/posts/{post}/comments/{comment}"
        public static let migrations = "/api/migrations"
        public static let migrationPattern = "/api/migrations/{id}"
        public static let confirmMigrationPattern = "/api/migrations/{id}/confirm"
        public static let claims = "/api/claims"
        public static let verifyClaimPattern = "/api/claims/{id}/verify"

        public static func blog(_ slug: BlogSlug) -> String { "/api/blogs/\(slug.rawValue)" }
        public static func redirects(_ slug: BlogSlug) -> String { "/api/blogs/\(slug.rawValue)/redirects" }
        public static func post(_ slug: BlogSlug, _ id: PostID) -> String { "/api/blogs/\(slug.rawValue)/posts/\(id.rawValue)" }
        public static func migration(_ id: String) -> String { "/api/migrations/\(id)" }
        public static func verifyClaim(_ id: Int64) -> String { "/api/claims/\(id)/verify" }
        /// Cursors are base64url and digits: nothing to escape.
        public static func streamPage(limit: Int, before cursor: String?) -> String {
            "\(stream)?limit=\(limit)" + (cursor.map { "&before=\($0)" } ?? "")
        }
    }
}
