import Hummingbird

/// Answers an anonymous reader's GET or HEAD of a kept page in front of the router: Hummingbird
/// finds a request's route before any middleware runs, and finding it among ferry's routes cost
/// the hottest requests as much as the rest of their answer. The page cache is keyed by the path
/// of the route that rendered each page (with its canonical query, which holds a `?`), so a fresh
/// page for anyone found at a request's path is what that route would answer. Requests for
/// another host (which may be an old address to redirect), with a query or a session cookie, and
/// pages that are stale or private, go on to the router, whose routes apply the same rules and more.
struct KeptPageResponder<Router: HTTPResponder<AppRequestContext>>: HTTPResponder {
    let cache: PageCache
    let site: SiteAddress
    let router: Router

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        guard let response = keptPage(request) else { return try await router.respond(to: request, context: context) }
        RequestLogMiddleware<AppRequestContext>.log(request, status: response.status.code, since: start, context: context)
        return response
    }

    private func keptPage(_ request: Request) -> Response? {
        let isHead = request.method == .head
        guard request.method == .get || isHead, request.uri.query == nil, let authority = request.head.authority,
            site.isOwn(authority: authority), !PageController.hasSessionCookie(request),
            let document = cache.documentForAnyone(at: request.uri.path)
        else { return nil }
        let response = document.response(to: request)
        return isHead ? response.createHeadResponse() : response
    }
}
