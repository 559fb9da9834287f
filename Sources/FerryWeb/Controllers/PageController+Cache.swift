import FerryCore
import FerryStore
import Foundation
import Hummingbird

extension PageController {
    /// Answers with the page at `key` of the blog at `{slug}`: from the cache when it is fresh
    /// and the reader may see it, else rendered by `build` from one reading of the blog (as an
    /// anonymous reader sees it, whoever asks) and kept.
    ///
    /// Without the session cookie a fresh page of a public or hidden blog costs no database
    /// work at all. With it, the database says who the reader is and whether they may read the
    /// blog (a private blog's page is never served otherwise), and the page gets their bar.
    func blogPage<Page: ReaderPage>(
        _ request: Request, _ context: AppRequestContext, key: String,
        _ build: @escaping @Sendable (any BlogReader, BlogFrame) async throws -> (Page, [PageDependency])
    ) async throws -> Response {
        let signedIn = Self.hasSessionCookie(request)
        if !signedIn, let document = cache.documentForAnyone(at: key) { return document.response(to: request) }
        let reader = signedIn ? try await authenticator.cookieReader(request) : nil
        if reader == nil, let document = cache.documentForAnyone(at: key) { return document.response(to: request) }
        let kept = cache.page(at: key)
        let slug = try RouteParameters.slug(context)
        if let kept, kept.isFresh, let reader {
            let viewer = try await database.reading(slug, by: reader) { blog in try await blog.readerIdentity() }
            if let viewer { return try signedInResponse(kept.page, viewer, request) }
        }
        guard let reader else {
            // Anonymous readers who find the page stale together wait for one rendering.
            let cached = try await cache.rendering(key) { [self] in try await render(slug, nil, kept?.page, build).rendered }
            return try anonymousResponse(cached, request)
        }
        let stamp = cache.stamp()
        let (rendered, viewer) = try await render(slug, reader, kept?.page, build)
        cache.keep(rendered.page, at: key, dependencies: rendered.dependencies, renderedAfter: stamp)
        guard let viewer else { return try anonymousResponse(rendered.page, request) }
        return try signedInResponse(rendered.page, viewer, request)
    }

    /// Renders the page from one reading of the blog, as an anonymous reader sees it, and
    /// answers who `reader` is (having checked that they may read the blog).
    private func render<Page: ReaderPage>(
        _ slug: BlogSlug, _ reader: IdentityID?, _ previous: CachedPage?,
        _ build: @escaping @Sendable (any BlogReader, BlogFrame) async throws -> (Page, [PageDependency])
    ) async throws -> (rendered: RenderedPage, viewer: Identity?) {
        let (page, dependencies, blog, viewer) = try await database.reading(slug, by: reader) { blog in
            let owner = try await blog.owner()
            let (page, more) = try await build(blog, BlogFrame(owner: owner, pages: try await blog.pageLinks()))
            let dependencies = [.blog(blog.blog.id), .profile(owner.id)] + more
            return (page, dependencies, blog.blog, try await blog.readerIdentity())
        }
        let cached = try renderer.cachedPage(page, visibility: blog.visibility, previous: previous)
        cache.learn(owner: blog.ownerID, of: blog.id)
        return (RenderedPage(page: cached, dependencies: dependencies), viewer)
    }

    private func anonymousResponse(_ page: CachedPage, _ request: Request) throws -> Response {
        guard page.isForAnyone else { throw FerryError.brokenInvariant("a private blog's page was read without a reader") }
        return page.document.response(to: request)
    }

    private func signedInResponse(_ page: CachedPage, _ viewer: Identity, _ request: Request) throws -> Response {
        let bar = renderer.signInBar(Viewer(viewer, request: request), returnPath: "")
        var headers = PageRenderer.headers(noindex: page.visibility != .public)
        headers[.cacheControl] = "private, no-cache"
        guard let response = page.response(withBar: bar, headers: headers) else {
            throw FerryError.brokenInvariant("a blog's page has no sign-in bar to show the reader's in")
        }
        return response
    }
}
