import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// `/api/blogs` and `/api/me/blogs`: an identity's blogs, readable as their visibility allows
/// and changed only by their owner.
struct BlogController {
    let database: any Store
    let limits: RequestLimits

    struct NewBlog: Decodable {
        var slug: String
        var title: String
        var language: String
        var visibility: BlogVisibility?
    }

    func addRoutes(readers: RouterGroup<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        readers.post(RouterPath(SitePath.API.blogs), use: create)
        readers.get(RouterPath(SitePath.API.blogPattern), use: show)
        readers.patch(RouterPath(SitePath.API.blogPattern), use: update)
        readers.get(RouterPath(SitePath.API.redirectsPattern), use: redirects)
        signedIn.get(RouterPath(SitePath.API.myBlogs), use: mine)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<BlogResponse> {
        let session = try context.requireSession()
        let body = try await request.decodeJSON(NewBlog.self, limit: limits.jsonBodyBytes)
        let blog = try await database.createBlog(
            slug: BlogSlug(validating: body.slug), owner: session.identityID, title: Blog.validTitle(body.title),
            language: LanguageTag(validating: body.language), visibility: body.visibility ?? .public
        )
        return EditedResponse(
            status: .created,
            headers: [.location: SitePath.API.blog(blog.slug)],
            response: try await response(blog)
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> BlogResponse {
        let blog = try await database.reading(try RouteParameters.slug(context), by: context.session?.identityID) { $0.blog }
        return try await response(blog)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> BlogResponse {
        let session = try context.requireSession()
        let patch = try await request.decodeJSON(BlogPatchBody.self, limit: limits.jsonBodyBytes)
        let blog = try await database.updateBlog(try RouteParameters.slug(context), by: session.identityID, with: patch.update)
        return try await response(blog)
    }

    /// The old addresses imports recorded for the blog; its owner's business only.
    @Sendable func redirects(_ request: Request, context: AppRequestContext) async throws -> RedirectListResponse {
        let session = try context.requireSession()
        let blog = try await database.ownedBlog(try RouteParameters.slug(context), by: session.identityID)
        let entries = try await database.redirects(into: blog.id)
        return RedirectListResponse(
            redirects: entries.map { .init(from: $0.oldAddress, to: $0.to) })
    }

    @Sendable func mine(_ request: Request, context: AppRequestContext) async throws -> BlogListResponse {
        let session = try context.requireSession()
        let blogs = try await database.blogs(ownedBy: session.identityID)
        let owner = try await database.signedInIdentity(session)
        return BlogListResponse(blogs: blogs.map { BlogResponse(blog: $0, owner: owner.handle) })
    }

    private func response(_ blog: Blog) async throws -> BlogResponse {
        guard let owner = try await database.identity(blog.ownerID) else {
            throw FerryError(.notFound, "there is no blog at '\(blog.slug)'")
        }
        return BlogResponse(blog: blog, owner: owner.handle)
    }
}

/// The body of `PATCH /api/blogs/{slug}`: absent fields stay; unknown fields are refused.
struct BlogPatchBody: Decodable {
    var update = BlogUpdate()

    private static let fields = ["title", "language", "visibility", "allowAnonymousComments"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        if let unknown = container.allKeys.first(where: { !Self.fields.contains($0.stringValue) }) {
            throw FerryError.invalid(unknown.stringValue, "cannot be changed; the fields are \(Self.fields.joined(separator: ", "))")
        }
        update.title = try container.decodeIfPresent(String.self, forKey: FieldKey("title"))
        update.language = try container.decodeIfPresent(String.self, forKey: FieldKey("language"))
            .map { text throws(FerryError) in try LanguageTag(validating: text) }
        update.visibility = try container.decodeIfPresent(BlogVisibility.self, forKey: FieldKey("visibility"))
        update.allowsAnonymousComments = try container.decodeIfPresent(Bool.self, forKey: FieldKey("allowAnonymousComments"))
    }
}

struct BlogResponse: ResponseEncodable {
    var slug: String
    var title: String
    var language: String
    var visibility: BlogVisibility
    var allowAnonymousComments: Bool
    var owner: String
    var feed: String
    var url: String
    var createdAt: Date
    /// Whether the blog is linked to its owner's messenger identity, and since when.
    var linked: Bool
    @AlwaysPresent var linkedAt: Date? = nil

    init(blog: Blog, owner: Handle) {
        slug = blog.slug.rawValue
        title = blog.title
        language = blog.language.rawValue
        visibility = blog.visibility
        allowAnonymousComments = blog.allowsAnonymousComments
        self.owner = owner.rawValue
        url = SitePath.blogHome(blog.slug)
        feed = SitePath.feed(blog.slug)
        createdAt = blog.createdAt
        linked = blog.isLinked
        linkedAt = blog.linkedAt
    }
}

struct RedirectListResponse: ResponseEncodable {
    struct Entry: Encodable {
        var from: String
        var to: String
    }

    var redirects: [Entry]
}

struct BlogListResponse: ResponseEncodable {
    var blogs: [BlogResponse]
}

extension RedirectEntry {
    /// The old address as its readers typed it: host and path, without the scheme.
    var oldAddress: String {
        let path = from.path
        return from.host + (path.isEmpty || path.hasPrefix("?") ? "/" : "") + path
    }
}
