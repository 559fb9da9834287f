import Hummingbird

/// Answers an anonymous reader's GET or HEAD of a kept page before routing, which costs the
/// hottest requests more than the rest of their answer. The page cache is keyed by the path of
/// the route that rendered each page (with its canonical query, which holds a `?`), so a fresh
/// page for anyone found at a request's path is what that route would answer. Requests with a
/// query or a session cookie, and pages that are stale or private, go on to the routes.
struct KeptPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let cache: PageCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isHead = request.method == .head
        guard request.method == .get || isHead, request.uri.query == nil, !PageController.hasSessionCookie(request),
            let kept = cache.page(at: request.uri.path), kept.isFresh, kept.page.isForAnyone
        else { return try await next(request, context) }
        let response = kept.page.document.response(to: request)
        return isHead ? response.createHeadResponse() : response
    }
}
