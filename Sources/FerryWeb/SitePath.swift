import FerryCore

/// The one list of ferry's public paths, used both to route and to build links, so that no
/// URL is spelled twice.
enum SitePath {
    static let healthCheck = "/healthz"
    static let staticAssets = "/static"
    static let profilePattern = "/people/{handle}"
    static let signIn = "/login"
    static let signOut = "/logout"
    static let verifyClaimFormPattern = "/claims/{id}/verify"
    static let robots = "/robots.txt"
    static let sitemap = "/sitemap.xml"
    static let blogHomePattern = "/{slug}"
    static let feedPattern = "/{slug}/feed.atom"
    static let archiveFeedPattern = "/{slug}/feed/{month}.atom"
    static let permalinkPattern = "/{slug}/{year}/{month}/{post}"
    static let pagePattern = "/{slug}/\(Permalink.pagesSegment)/{page}"
    static let stream = "/api/me/stream"
    static let streamFeed = "/api/me/stream.atom"
    static let streamHTML = "/stream"
    static let activityFeedPattern = "/people/{handle}/activity.atom"
    static let webFinger = "/.well-known/webfinger"

    static func verifyClaim(_ id: Int64) -> String { "/api/claims/\(id)/verify" }
    static func verifyClaimForm(_ id: Int64) -> String { "/claims/\(id)/verify" }
    static func profile(_ handle: Handle) -> String { "/people/\(handle.rawValue)" }
    static func activityFeed(_ handle: Handle) -> String { "/people/\(handle.rawValue)/activity.atom" }
    /// Cursors are base64url and digits: nothing to escape.
    static func streamPage(limit: Int, before cursor: String?) -> String {
        "\(stream)?limit=\(limit)" + (cursor.map { "&before=\($0)" } ?? "")
    }
    static func blogHome(_ slug: BlogSlug) -> String { "/\(slug.rawValue)/" }
    static func feed(_ slug: BlogSlug) -> String { "/\(slug.rawValue)/feed.atom" }
    static func archiveFeed(_ slug: BlogSlug, _ part: ArchivePart) -> String { "/\(slug.rawValue)/feed/\(part.key).atom" }
    static func stylesheet(_ name: String) -> String { "\(staticAssets)/\(name)" }

    static func permalink(_ blog: BlogSlug, _ post: Post) -> String {
        Permalink.path(blog: blog, post: post)
    }

    static func page(_ blog: BlogSlug, _ slug: PostSlug) -> String {
        Permalink.pagePath(blog: blog, slug: slug)
    }

    static func permalink(_ blog: BlogSlug, month: PostMonth, slug: PostSlug) -> String {
        Permalink.path(blog: blog, month: month, slug: slug)
    }
}
