import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// Server-rendered HTML pages: profiles, blog homes and posts. Browsers sign in with the
/// session cookie, so owners and contacts can read private blogs.
struct PageController {
    let database: AppDatabase
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
        guard let handle = try? Handle(validating: text),
              let identity = try await database.identity(handle: handle)
        else {
            throw FerryError(.notFound, "there is no identity with the handle '\(text)'")
        }
        let viewer = try await authenticator.cookieReader(request)
        var linked: [Blog] = []
        for blog in try await database.blogs(ownedBy: identity.id) where blog.isLinked {
            if try await database.canRead(blog, as: viewer) { linked.append(blog) }
        }
        var page = ProfilePage(identity, linkedBlogs: linked)
        // The owner, looking at their own page, is told how long is left to move a blog here.
        if viewer == identity.id, let closesAt = window.closesAt, let days = window.daysLeft() {
            page.deadlineNotice = "Blog migrations close on \(closesAt.formatted(.iso8601.year().month().day())): \(days) days left to move your blog."
        }
        if viewer == identity.id { try await showClaims(of: identity.id, on: &page, request) }
        return try renderer.render(page)
    }

    /// The owner's old roots that wait for verification, and the result of the last check.
    private func showClaims(of identity: IdentityID, on page: inout ProfilePage, _ request: Request) async throws {
        let claims = try await database.claims(of: identity)
        let csrf = FormToken.forSession(request) ?? ""
        page.claims = claims.filter { $0.status == .pending }.map { ProfilePage.ClaimNotice($0, csrf: csrf) }
        guard let checked = request.uri.queryParameters.get("claim").flatMap({ Int64($0) }),
              let claim = claims.first(where: { $0.id == checked })
        else { return }
        page.claimResult = claim.status == .verified
            ? "\(claim.root) is verified: its old addresses lead here now."
            : "The token was not found on \(claim.root) yet: check that the old home page or the file holds it, then try again."
    }

    @Sendable func blogHome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner, viewer) = try await readableBlog(request, context)
        var before: PostID?
        if let text = request.uri.queryParameters.get("before") {
            guard let id = Int64(text) else { throw FerryError.invalid("before", "must be the id of a post") }
            before = PostID(id)
        }
        let posts = try await database.posts(in: blog.id, before: before, limit: Self.postsPerPage + 1)
        let page = Array(posts.prefix(Self.postsPerPage))
        let older = posts.count > Self.postsPerPage ? page.last?.id : nil
        let pages = try await database.pageLinks(in: blog.id)
        return try renderer.render(BlogHomePage(blog: blog, owner: owner, pages: pages, posts: page, olderThan: older, viewer: viewer))
    }

    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner, viewer) = try await readableBlog(request, context)
        let notFound = FerryError(.notFound, "there is no post at \(request.uri.path)")
        guard let year = Int(try context.parameters.require("year")), let monthNumber = Int(try context.parameters.require("month")),
              let month = PostMonth(year: year, month: monthNumber),
              let slugText = try context.parameters.require("post").removingPercentEncoding,
              let post = try await database.post(in: blog.id, month: month, slug: Self.slug(slugText))
        else { throw notFound }
        return try await render(post, blog: blog, owner: owner, viewer: viewer, request: request)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner, viewer) = try await readableBlog(request, context)
        guard let slugText = try context.parameters.require("page").removingPercentEncoding,
              let page = try await database.page(in: blog.id, slug: Self.slug(slugText))
        else { throw FerryError(.notFound, "there is no page at \(request.uri.path)") }
        return try await render(page, blog: blog, owner: owner, viewer: viewer, request: request)
    }

    /// The post with a page of its comments: the first, or those after `?comments=ID`.
    private func render(_ post: Post, blog: Blog, owner: Identity, viewer: Viewer?, request: Request) async throws -> Response {
        var after: CommentID?
        if let text = request.uri.queryParameters.get("comments") {
            guard let id = Int64(text) else { throw FerryError.invalid("comments", "must be the id of a comment") }
            after = CommentID(id)
        }
        let comments = try await database.comments(of: post.id, after: after, limit: Self.commentsPerPage + 1)
        let shown = Array(comments.prefix(Self.commentsPerPage))
        let pages = try await database.pageLinks(in: blog.id)
        var page = PostPage(blog: blog, owner: owner, pages: pages, post: post, comments: shown, viewer: viewer)
        if comments.count > Self.commentsPerPage, let last = shown.last {
            page.laterCommentsURL = "\(request.uri.path)?comments=\(last.id.rawValue)#comments"
        }
        if after != nil { page.firstCommentsURL = "\(request.uri.path)#comments" }
        return try renderer.render(page)
    }

    /// A slug as a browser sends it: composed, in lowercase, as slugs are stored.
    private static func slug(_ text: String) -> PostSlug {
        PostSlug(trusted: text.precomposedStringWithCanonicalMapping.lowercased())
    }

    /// The blog at `{slug}` with its owner, if the cookie's identity (or a visitor) may read it.
    private func readableBlog(_ request: Request, _ context: AppRequestContext) async throws -> (Blog, Identity, Viewer?) {
        let reader = try await authenticator.cookieReader(request)
        let blog = try await BlogAccess(database: database).readableBlog(context, as: reader)
        guard let owner = try await database.identity(blog.ownerID) else {
            throw FerryError(.notFound, "there is no blog at '\(blog.slug)'")
        }
        var viewer: Viewer?
        if let reader { viewer = try await database.identity(reader).map { Viewer($0, request: request) } }
        return (blog, owner, viewer)
    }
}
