import FerryCore
import FerryRender
import FerryStore
import Foundation
import Hummingbird

/// `/api/blogs/{slug}/posts`: the owner writes, anyone who may read the blog reads. A post
/// written with `"draft": true` is the owner's alone until a `PUT` with `"draft": false`
/// publishes it; a published post does not go back (409). A post sent again with the same
/// `Idempotency-Key` is answered, not created twice.
struct PostController {
    let database: any Store
    let limits: RequestLimits
    let sanitizer: HTMLSanitizer

    struct PostBody: Decodable {
        var title: String
        var content: String
        var tags: [String]?
        var draft: Bool?
    }

    func addRoutes(readers: RouterGroup<AppRequestContext>) {
        readers.post(RouterPath(SitePath.API.postsPattern), use: create)
        readers.get(RouterPath(SitePath.API.postsPattern), use: list)
        readers.get(RouterPath(SitePath.API.postPattern), use: show)
        readers.put(RouterPath(SitePath.API.postPattern), use: replace)
        readers.delete(RouterPath(SitePath.API.postPattern), use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PostResponse> {
        let session = try context.requireSession()
        let slug = try RouteParameters.slug(context)
        let (draft, keepsDraft) = try await draft(from: request)
        let key = try request.requestKey(
            by: session.identityID, asking: [draft.title, draft.content, draft.tags.joined(separator: "\u{1E}"), keepsDraft == true ? "draft" : ""])
        let post = try await database.createPost(in: slug, by: session.identityID, draft: draft, publish: keepsDraft != true, key: key)
        let response = PostResponse(post, blog: slug)
        return EditedResponse(status: .created, headers: [.location: response.api], response: response)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageResponse<PostResponse> {
        let slug = try RouteParameters.slug(context)
        let limit = try limits.pageSize(request)
        var before: PostID?
        if let text = request.uri.queryParameters.get("before") {
            guard let id = Int64(text) else { throw FerryError.invalid("before", "must be the id of a post, from nextCursor") }
            before = PostID(id)
        }
        let posts = try await database.reading(slug, by: context.session?.identityID) { [before] blog in
            try await blog.posts(before: before, limit: limit + 1)
        }
        let page = posts.prefix(limit)
        return PageResponse(
            key: "posts", items: page.map { PostResponse($0, blog: slug) },
            nextCursor: posts.count > limit ? page.last.map { String($0.id.rawValue) } : nil
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> PostResponse {
        let slug = try RouteParameters.slug(context)
        let id = PostID(try RouteParameters.id("post", context))
        guard let post = try await database.reading(slug, by: context.session?.identityID, { try await $0.post(id) }) else {
            throw FerryError(.notFound, "there is no post \(id) in '\(slug)'")
        }
        return PostResponse(post, blog: slug)
    }

    @Sendable func replace(_ request: Request, context: AppRequestContext) async throws -> PostResponse {
        let session = try context.requireSession()
        let slug = try RouteParameters.slug(context)
        let id = PostID(try RouteParameters.id("post", context))
        let (draft, keepsDraft) = try await draft(from: request)
        let post = try await database.updatePost(id, in: slug, by: session.identityID, draft: draft, publish: keepsDraft.map { !$0 })
        return PostResponse(post, blog: slug)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let session = try context.requireSession()
        let slug = try RouteParameters.slug(context)
        try await database.deletePost(PostID(try RouteParameters.id("post", context)), in: slug, by: session.identityID)
        return .noContent
    }

    /// Validates the body; content over the size limit is 413, and is sanitized before it is
    /// kept. Answers the post and what the body says of its being a draft.
    private func draft(from request: Request) async throws -> (PostDraft, Bool?) {
        let body = try await request.decodeJSON(PostBody.self, limit: limits.postBodyBytes)
        return (try Self.draft(title: body.title, content: body.content, tags: body.tags ?? [], limits: limits, sanitizer: sanitizer), body.draft)
    }

    /// A post as written through the API or the editor page: the same checks, the same sanitizer.
    static func draft(title: String, content: String, tags: [String], limits: RequestLimits, sanitizer: HTMLSanitizer) throws -> PostDraft {
        PostDraft(
            title: try Post.validTitle(title),
            content: try limits.sanitizedHTML(content, with: sanitizer, required: false),
            tags: try Tags.valid(tags)
        )
    }
}

struct PostResponse: ResponseEncodable {
    var id: Int64
    var entryId: String
    var url: String
    var api: String
    var title: String
    var content: String
    var tags: [String]
    var publishedAt: Date
    var updatedAt: Date
    var commentCount: Int
    /// Only the owner ever reads a draft; its `url` is where they edit it.
    var draft: Bool

    init(_ post: Post, blog: BlogSlug) {
        id = post.id.rawValue
        entryId = post.entryID
        draft = post.kind == .draft
        url = draft ? SitePath.editPost(blog, post.id) : SitePath.permalink(blog, post)
        api = SitePath.API.post(blog, post.id)
        title = post.title
        content = post.content
        tags = post.tags
        publishedAt = post.publishedAt
        updatedAt = post.updatedAt
        commentCount = post.commentCount
    }
}
