import FerryCore
import FerryRender
import FerryStore
import Foundation
import Hummingbird

/// `/api/blogs/{slug}/posts/{post}/comments`: readers of a blog comment on its posts
/// (visitors too, with a name, where the owner allows it); the owner removes any comment. A
/// comment sent again with the same `Idempotency-Key` is answered, not added twice.
struct CommentController {
    let database: any Store
    let limits: RequestLimits
    let sanitizer: HTMLSanitizer

    struct CommentBody: Decodable {
        var content: String
        /// Only for visitors who are not signed in.
        var name: String?
    }

    func addRoutes(readers: RouterGroup<AppRequestContext>) {
        readers.post(RouterPath(SitePath.API.commentsPattern), use: create)
        readers.get(RouterPath(SitePath.API.commentsPattern), use: list)
        readers.delete(RouterPath(SitePath.API.commentPattern), use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CommentResponse> {
        let reader = context.session?.identityID
        let blog = try await database.reading(try RouteParameters.slug(context), by: reader) { $0.blog }
        let post = PostID(try RouteParameters.id("post", context))
        let body = try await request.decodeJSON(CommentBody.self, limit: limits.postBodyBytes)
        let commenter: Commenter
        if let reader {
            guard body.name == nil else { throw FerryError.invalid("name", "is only for visitors who are not signed in") }
            commenter = .identity(reader)
        } else {
            guard blog.acceptsAnonymousComments else {
                throw FerryError(.unauthenticated, "sign in to comment on '\(blog.slug)'")
            }
            commenter = .visitor(name: try Comment.validName(body.name ?? ""))
        }
        let content = try limits.sanitizedHTML(body.content, with: sanitizer, required: true)
        let key = try request.requestKey(by: reader, asking: [body.content, body.name ?? ""])
        let comment = try await database.addComment(to: post, in: blog.id, by: commenter, content: content, key: key)
        return EditedResponse(status: .created, response: CommentResponse(comment))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageResponse<CommentResponse> {
        let slug = try RouteParameters.slug(context)
        let post = PostID(try RouteParameters.id("post", context))
        let limit = try limits.pageSize(request)
        var after: CommentID?
        if let text = request.uri.queryParameters.get("after") {
            guard let id = Int64(text) else { throw FerryError.invalid("after", "must be the id of a comment, from nextCursor") }
            after = CommentID(id)
        }
        let comments = try await database.reading(slug, by: context.session?.identityID) { [after] blog in
            guard try await blog.post(post) != nil else { throw FerryError(.notFound, "there is no post \(post) in '\(slug)'") }
            return try await blog.comments(of: post, after: after, limit: limit + 1)
        }
        let page = comments.prefix(limit)
        return PageResponse(
            key: "comments", items: page.map(CommentResponse.init),
            nextCursor: comments.count > limit ? page.last.map { String($0.id.rawValue) } : nil
        )
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let session = try context.requireSession()
        let slug = try RouteParameters.slug(context)
        let post = PostID(try RouteParameters.id("post", context))
        try await database.deleteComment(CommentID(try RouteParameters.id("comment", context)), of: post, in: slug, by: session.identityID)
        return .noContent
    }
}

struct CommentResponse: ResponseEncodable {
    var id: Int64
    /// The commenter's handle; null for a visitor.
    @AlwaysPresent var author: String? = nil
    var name: String
    var content: String
    var createdAt: Date

    init(_ comment: Comment) {
        id = comment.id.rawValue
        if case .identity(_, let handle, _) = comment.author { author = handle.rawValue }
        name = comment.author.displayName
        content = comment.content
        createdAt = comment.createdAt
    }
}
