import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// Server-rendered HTML pages: profiles, blog homes and posts. Browsers sign in with the
/// session cookie, so owners and contacts can read private blogs.
struct PageController {
    let database: any Store
    let renderer: PageRenderer
    let authenticator: Authenticator
    let window: MigrationWindow

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
        let viewer = try await authenticator.cookieReader(request)
        guard let handle = try? Handle(validating: text), let profile = try await database.profile(handle, viewedBy: viewer) else {
            throw FerryError(.notFound, "there is no identity with the handle '\(text)'")
        }
        var page = ProfilePage(profile.identity, linkedBlogs: profile.linkedBlogs)
        if let viewer, let identity = profile.isOwnProfile ? profile.identity : try await database.identity(viewer) {
            page.viewer = Viewer(identity, request: request)
        }
        if profile.isOwnProfile {
            // The owner, looking at their own page, is told how long is left to move a blog here.
            if let closesAt = window.closesAt, let days = window.daysLeft() {
                page.deadlineNotice = "Blog migrations close on \(closesAt.formatted(.iso8601.year().month().day())): \(days) days left to move your blog."
            }
            showClaims(profile.claims, on: &page, request)
        }
        return try renderer.render(page)
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
        return try await readBlog(request, context) { [before] blog, frame in
            let posts = try await blog.posts(before: before, limit: limit + 1)
            let page = Array(posts.prefix(limit))
            let older = posts.count > limit ? page.last?.id : nil
            return BlogHomePage(blog: blog.blog, owner: frame.owner, pages: frame.pages, posts: page, olderThan: older, viewer: frame.viewer)
        }
    }

    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notFound = FerryError(.notFound, "there is no post at \(request.uri.path)")
        guard let year = Int(try context.parameters.require("year")), let monthNumber = Int(try context.parameters.require("month")),
            let month = PostMonth(year: year, month: monthNumber),
            let slugText = try context.parameters.require("post").removingPercentEncoding
        else { throw notFound }
        let comments = try Self.commentsQuery(request)
        return try await readBlog(request, context) { blog, frame in
            guard let post = try await blog.post(month: month, slug: Self.slug(slugText)) else { throw notFound }
            return try await Self.postPage(post, blog: blog, frame: frame, comments: comments)
        }
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notFound = FerryError(.notFound, "there is no page at \(request.uri.path)")
        guard let slugText = try context.parameters.require("page").removingPercentEncoding else { throw notFound }
        let comments = try Self.commentsQuery(request)
        return try await readBlog(request, context) { blog, frame in
            guard let page = try await blog.page(slug: Self.slug(slugText)) else { throw notFound }
            return try await Self.postPage(page, blog: blog, frame: frame, comments: comments)
        }
    }

    /// Where a page of comments starts (`?comments=ID`) and the path its links go back to.
    private struct CommentsQuery: Sendable {
        var after: CommentID?
        var path: String
    }

    private static func commentsQuery(_ request: Request) throws -> CommentsQuery {
        var query = CommentsQuery(path: request.uri.path)
        if let text = request.uri.queryParameters.get("comments") {
            guard let id = Int64(text) else { throw FerryError.invalid("comments", "must be the id of a comment") }
            query.after = CommentID(id)
        }
        return query
    }

    /// The post with a page of its comments: the first, or those after `?comments=ID`.
    private static func postPage(_ post: Post, blog: any BlogReader, frame: BlogFrame, comments query: CommentsQuery) async throws -> PostPage {
        let comments = try await blog.comments(of: post.id, after: query.after, limit: commentsPerPage + 1)
        let shown = Array(comments.prefix(commentsPerPage))
        var page = PostPage(blog: blog.blog, owner: frame.owner, pages: frame.pages, post: post, comments: shown, viewer: frame.viewer)
        if comments.count > commentsPerPage, let last = shown.last {
            page.laterCommentsURL = "\(query.path)?comments=\(last.id.rawValue)#comments"
        }
        if query.after != nil { page.firstCommentsURL = "\(query.path)#comments" }
        return page
    }

    /// A slug as a browser sends it: composed, in lowercase, as slugs are stored.
    private static func slug(_ text: String) -> PostSlug {
        PostSlug(trusted: text.precomposedStringWithCanonicalMapping.lowercased())
    }

    /// What every page of a blog shows around its content: the owner, the links to its pages,
    /// and the signed-in reader.
    private struct BlogFrame {
        var owner: Identity
        var pages: [PageLink]
        var viewer: Viewer?
    }

    /// Renders the page `build` makes from the blog at `{slug}`, read in one transaction, if the
    /// cookie's identity (or a visitor) may read it.
    private func readBlog<Page: PageModel & Sendable>(
        _ request: Request, _ context: AppRequestContext, _ build: @escaping @Sendable (any BlogReader, BlogFrame) async throws -> Page
    ) async throws -> Response {
        let reader = try await authenticator.cookieReader(request)
        let page = try await database.reading(try RouteParameters.slug(context), by: reader) { blog in
            let frame = BlogFrame(
                owner: try await blog.owner(), pages: try await blog.pageLinks(),
                viewer: try await blog.readerIdentity().map { Viewer($0, request: request) }
            )
            return try await build(blog, frame)
        }
        return try renderer.render(page)
    }
}
