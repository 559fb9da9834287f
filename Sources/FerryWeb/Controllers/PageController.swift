import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// Server-rendered HTML pages: profiles, blog homes and posts. What an anonymous reader sees is
/// rendered once per change and kept (`PageCache`); browsers sign in with the session cookie,
/// and get the same page with their own sign-in bar, so owners and contacts can read private
/// blogs.
struct PageController {
    let database: any Store
    let renderer: PageRenderer
    let authenticator: Authenticator
    let window: MigrationWindow
    let cache: PageCache

    static let postsPerPage = 10
    /// Comments shown at once under a post; later ones are a link away.
    static let commentsPerPage = 50

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.profilePattern), use: profile)
        router.get(RouterPath(SitePath.blogHomePattern), use: blogHome)
        router.get(RouterPath(SitePath.permalinkPattern), use: post)
        router.get(RouterPath(SitePath.pagePattern), use: page)
    }

    @Sendable func profile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = try context.parameters.require("handle")
        let key = request.uri.path
        let signedIn = Self.hasSessionCookie(request)
        if !signedIn, let document = cache.documentForAnyone(at: key) { return document.response(to: request) }
        let viewer = signedIn ? try await authenticator.cookieReader(request) : nil
        if viewer == nil, let document = cache.documentForAnyone(at: key) { return document.response(to: request) }
        let kept = cache.page(at: key)
        guard let handle = try? Handle(validating: text) else { throw Self.noIdentity(text) }
        guard let viewer else {
            let cached = try await cache.rendering(key) { [self] in try await renderProfile(handle, previous: kept?.page) }
            return cached.document.response(to: request)
        }
        guard let profile = try await database.profile(handle, viewedBy: viewer) else { throw Self.noIdentity(text) }
        var page = ProfilePage(profile.identity, linkedBlogs: profile.linkedBlogs)
        // Signed in, the page lists the private blogs the viewer may read, and the owner sees
        // their own notices: rendered for this request only.
        if let identity = profile.isOwnProfile ? profile.identity : try await database.identity(viewer) {
            page.viewer = Viewer(identity, request: request)
        }
        if profile.isOwnProfile {
            // The owner, looking at their own page, is told how long is left to move a blog here.
            if let closesAt = window.closesAt, let days = window.daysLeft() {
                page.deadlineNotice = "Blog migrations close on \(closesAt.formatted(.iso8601.year().month().day())): \(days) days left to move your blog."
            }
            showClaims(profile.claims, on: &page, request)
        }
        return try Self.signedIn(renderer.render(page))
    }

    /// The profile as anonymous readers see it, kept until the identity, the blogs it lists or
    /// the set of blogs it links change.
    private func renderProfile(_ handle: Handle, previous: CachedPage?) async throws -> RenderedPage {
        guard let profile = try await database.profile(handle, viewedBy: nil) else { throw Self.noIdentity(handle.rawValue) }
        let identity = profile.identity.id
        let cached = try renderer.cachedPage(ProfilePage(profile.identity, linkedBlogs: profile.linkedBlogs), visibility: nil, previous: previous)
        let dependencies = [.profile(identity), .blogsOf(identity)] + profile.linkedBlogs.map { PageDependency.blog($0.id) }
        for blog in profile.linkedBlogs { cache.learn(owner: identity, of: blog.id) }
        return RenderedPage(page: cached, dependencies: dependencies)
    }

    private static func noIdentity(_ handle: String) -> FerryError {
        FerryError(.notFound, "there is no identity with the handle '\(handle)'")
    }

    /// The owner's old roots that wait for verification, and the result of the last check.
    private func showClaims(_ claims: [OldRootClaim], on page: inout ProfilePage, _ request: Request) {
        let csrf = FormToken.forSession(request) ?? ""
        page.claims = claims.filter { $0.status == .pending }.map { ProfilePage.ClaimNotice($0, csrf: csrf) }
        guard let checked = request.uri.queryParameters.get("claim").flatMap({ Int64($0) }),
            let claim = claims.first(where: { $0.id == checked })
        else { return }
        page.claimResult =
            claim.status == .verified
            ? "\(claim.root) is verified: its old addresses lead here now."
            : "The token was not found on \(claim.root) yet: check that the old home page or the file holds it, then try again."
    }

    @Sendable func blogHome(_ request: Request, context: AppRequestContext) async throws -> Response {
        var before: PostID?
        if let text = request.uri.queryParameters.get("before") {
            guard let id = Int64(text) else { throw FerryError.invalid("before", "must be the id of a post") }
            before = PostID(id)
        }
        let limit = Self.postsPerPage
        let key = request.uri.path + (before.map { "?before=\($0.rawValue)" } ?? "")
        return try await blogPage(request, context, key: key) { [before] blog, frame in
            let posts = try await blog.posts(before: before, limit: limit + 1)
            let page = Array(posts.prefix(limit))
            let older = posts.count > limit ? page.last?.id : nil
            return (BlogHomePage(blog: blog.blog, owner: frame.owner, pages: frame.pages, posts: page, olderThan: older), [])
        }
    }

    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let path = request.uri.path
        let (year, month, slug) = (try context.parameters.require("year"), try context.parameters.require("month"), try context.parameters.require("post"))
        let comments = try Self.commentsQuery(request)
        // The address is read only when the page is not kept: a kept page was found by it.
        return try await blogPage(request, context, key: comments.key) { blog, frame in
            guard let year = Int(year), let monthNumber = Int(month), let month = PostMonth(year: year, month: monthNumber),
                let slugText = slug.removingPercentEncoding,
                let post = try await blog.post(month: month, slug: Self.slug(slugText))
            else { throw Self.noPost(path) }
            return try await Self.postPage(post, blog: blog, frame: frame, comments: comments)
        }
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let path = request.uri.path
        guard let slugText = try context.parameters.require("page").removingPercentEncoding else { throw Self.noPage(path) }
        let comments = try Self.commentsQuery(request)
        return try await blogPage(request, context, key: comments.key) { blog, frame in
            guard let page = try await blog.page(slug: Self.slug(slugText)) else { throw Self.noPage(path) }
            return try await Self.postPage(page, blog: blog, frame: frame, comments: comments)
        }
    }

    private static func noPost(_ path: String) -> FerryError { FerryError(.notFound, "there is no post at \(path)") }
    private static func noPage(_ path: String) -> FerryError { FerryError(.notFound, "there is no page at \(path)") }

    /// Where a page of comments starts (`?comments=ID`) and the path its links go back to.
    private struct CommentsQuery: Sendable {
        var after: CommentID?
        var path: String

        /// Where the page is kept in the cache.
        var key: String { path + (after.map { "?comments=\($0.rawValue)" } ?? "") }
    }

    private static func commentsQuery(_ request: Request) throws -> CommentsQuery {
        var query = CommentsQuery(path: request.uri.path)
        if let text = request.uri.queryParameters.get("comments") {
            guard let id = Int64(text) else { throw FerryError.invalid("comments", "must be the id of a comment") }
            query.after = CommentID(id)
        }
        return query
    }

    /// The post with a page of its comments: the first, or those after `?comments=ID`. The
    /// page shows the names of the identities who commented, so it depends on their profiles.
    private static func postPage(
        _ post: Post, blog: any BlogReader, frame: BlogFrame, comments query: CommentsQuery
    ) async throws -> (PostPage, [PageDependency]) {
        let comments = try await blog.comments(of: post.id, after: query.after, limit: commentsPerPage + 1)
        let shown = Array(comments.prefix(commentsPerPage))
        var page = PostPage(blog: blog.blog, owner: frame.owner, pages: frame.pages, post: post, comments: shown)
        if comments.count > commentsPerPage, let last = shown.last {
            page.laterCommentsURL = "\(query.path)?comments=\(last.id.rawValue)#comments"
        }
        if query.after != nil { page.firstCommentsURL = "\(query.path)#comments" }
        let commenters = Set(
            shown.compactMap { comment -> IdentityID? in
                if case .identity(let id, _, _) = comment.author { return id }
                return nil
            })
        return (page, commenters.map(PageDependency.profile))
    }

    /// A slug as a browser sends it: composed, in lowercase, as slugs are stored.
    private static func slug(_ text: String) -> PostSlug {
        PostSlug(trusted: text.precomposedStringWithCanonicalMapping.lowercased())
    }

    /// What every page of a blog shows around its content: the owner and the links to its pages.
    struct BlogFrame {
        var owner: Identity
        var pages: [PageLink]
    }

    /// Whether the request carries the session cookie; most readers send no cookie at all,
    /// which is told without parsing any.
    static func hasSessionCookie(_ request: Request) -> Bool {
        request.headers.contains(.cookie) && request.cookies[Authenticator.cookieName] != nil
    }

    /// A page rendered for one signed-in reader: never kept by a shared cache.
    static func signedIn(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "private, no-cache"
        return response
    }
}
