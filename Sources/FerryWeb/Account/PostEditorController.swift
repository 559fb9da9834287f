import FerryCore
import FerryRender
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// The owner's writing pages: a blog's posts with edit and delete, and the editor (title,
/// content as HTML, tags, and a photo or video to add). The same checks and sanitizer as
/// `/api/blogs/{slug}/posts`; the upload is stored as `POST …/media` stores it and added at
/// the end of the post. Forms are multipart, so they work without script.
struct PostEditorController {
    let database: any Store
    let uploader: MediaUploader
    let limits: RequestLimits
    let sanitizer: HTMLSanitizer
    let pages: AccountPages

    static let postsPerPage = 20

    func addRoutes(browsers: RouterGroup<AppRequestContext>) {
        browsers.get(RouterPath(SitePath.postsEditorPattern), use: list)
        browsers.get(RouterPath(SitePath.newPostPattern), use: newPost)
        browsers.post(RouterPath(SitePath.newPostPattern), use: create)
        browsers.get(RouterPath(SitePath.editPostPattern), use: edit)
        browsers.post(RouterPath(SitePath.editPostPattern), use: update)
        browsers.post(RouterPath(SitePath.deletePostPattern), use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        let blog = try await database.ownedBlog(try RouteParameters.slug(context), by: owner)
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }.map(PostID.init)
        let limit = Self.postsPerPage
        let posts = try await database.posts(in: blog.id, before: before, limit: limit + 1, kinds: [.post, .draft])
        let (_, frame) = try await pages.frame("Posts of \(blog.title)", request, context)
        let shown = Array(posts.prefix(limit))
        var page = PostListPage(frame: frame, blog: blog, posts: shown)
        if posts.count > limit, let last = shown.last { page.olderURL = "\(SitePath.postsEditor(blog.slug))?before=\(last.id.rawValue)" }
        return try pages.render(page)
    }

    @Sendable func newPost(_ request: Request, context: AppRequestContext) async throws -> Response {
        try pages.render(try await editor(nil, request, context))
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try await editor(PostID(try RouteParameters.id("post", context)), request, context)
        return try pages.render(page)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(nil, request, context)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(PostID(try RouteParameters.id("post", context)), request, context)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        let slug = try RouteParameters.slug(context)
        let form = try await AccountPages.form(request)
        try AccountPages.checkToken(form[FormToken.field], request)
        _ = try await database.deletePost(PostID(try RouteParameters.id("post", context)), in: slug, by: owner)
        return AccountPages.seeOther("\(SitePath.postsEditor(slug))?deleted=1")
    }

    /// Writes the post (new when `id` is nil) with the upload, if any, added at its end; on an
    /// error the editor shows again with what was typed and the error beside its field.
    private func save(_ id: PostID?, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        var page = try await editor(id, request, context)
        let blog = try await database.ownedBlog(try RouteParameters.slug(context), by: owner)
        do {
            guard let boundary = MultipartForm.boundary(of: request.headers[.contentType] ?? "") else {
                throw FerryError(.malformedRequest, "the editor's form must be sent as multipart/form-data")
            }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > uploader.limits.maxBytes + limits.postBodyBytes {
                throw FerryError(uploader.tooLarge.code, uploader.tooLarge.message, field: "file")
            }
            let post = try await uploader.withSpoolFile { spooled in
                let tooLarge = FerryError(uploader.tooLarge.code, uploader.tooLarge.message, field: "file")
                let sink = try FileSink(file: spooled, limit: uploader.limits.maxBytes, tooLarge: tooLarge)
                let form = try await MultipartForm.read(request.body, boundary: boundary, fieldBytes: limits.postBodyBytes) { field, _ in
                    field == "file" ? sink : nil
                }
                page.fill(form.fields)
                try AccountPages.checkToken(form.fields[FormToken.field], request)
                var draft = try PostController.draft(
                    title: page.postTitle, content: page.content, tags: page.tagList, limits: limits, sanitizer: sanitizer)
                if let file = form.files["file"] {
                    let media = try await uploader.store(
                        file: spooled, size: sink.written, declaredType: file.contentType, by: owner, into: blog, field: "file")
                    let element =
                        media.contentType.hasPrefix("video/")
                        ? #"<video controls src="\#(media.path)"></video>"#
                        : #"<img src="\#(media.path)" alt="">"#
                    draft.content = try limits.sanitizedHTML(draft.content + "<p>\(element)</p>", with: sanitizer, required: false)
                }
                let publish = form.fields["status"] != "draft"
                return
                    if let id
                {
                    try await database.updatePost(id, in: blog.slug, by: owner, draft: draft, publish: publish ? true : nil)
                } else {
                    try await database.createPost(in: blog.slug, by: owner, draft: draft, publish: publish)
                }
            }
            guard post.kind != .draft else { return AccountPages.seeOther("\(SitePath.editPost(blog.slug, post.id))?saved=1") }
            return AccountPages.seeOther(SitePath.permalink(blog.slug, post))
        } catch let error as FerryError where error.code != .notFound {
            page.errors = FieldErrors(error, fields: PostEditorPage.fields)
            return try pages.render(page, status: error.code.httpStatus)
        }
    }

    /// The editor for post `id` of the blog at `{slug}`, or for a new post.
    private func editor(_ id: PostID?, _ request: Request, _ context: AppRequestContext) async throws -> PostEditorPage {
        let owner = try context.requireSession().identityID
        let blog = try await database.ownedBlog(try RouteParameters.slug(context), by: owner)
        let (_, frame) = try await pages.frame(id == nil ? "New post" : "Edit post", request, context)
        var page = PostEditorPage(frame: frame, blog: blog, maxBytes: uploader.limits.maxBytes)
        if let id {
            guard let post = try await database.reading(blog.slug, by: owner, { try await $0.post(id) }) else {
                throw FerryError(.notFound, "there is no post \(id) in '\(blog.slug)'")
            }
            page.show(post, blog: blog.slug)
        }
        return page
    }
}
