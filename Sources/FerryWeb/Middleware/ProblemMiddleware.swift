import FerryCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The web boundary for errors: whatever a route throws leaves as `application/problem+json`,
/// or, for a browser (a request that accepts `text/html`) outside the API, as an HTML page in
/// the site's layout with the same status, headers and detail.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Renders the HTML error page; nil answers problem+json to everyone.
    var renderer: PageRenderer?
    /// Tells a path the router does not answer for this method from one it does not know.
    var routes: RouteTable?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let (problem, headers): (Problem, HTTPFields)
        do {
            return try await next(request, context)
        } catch let error as FerryError where error.code == .brokenInvariant {
            context.logger.error("request failed", metadata: ["ferry.error": "\(error)"])
            (problem, headers) = (Self.internalError, [:])
        } catch let error as FerryError {
            var challenge: HTTPFields = [:]
            if error.code == .unauthenticated {
                // Feed readers and AtomPub clients may use HTTP Basic; the API takes bearer tokens only.
                let basic = request.uri.path.hasSuffix(".atom") || request.uri.path.hasPrefix(SitePath.atomPubPrefix)
                challenge[.wwwAuthenticate] = basic ? Authenticator.feedChallenge : Authenticator.apiChallenge
            }
            (problem, headers) = (Problem(error), challenge)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // The router found no route: for a known path, the method is what is wrong.
            let allowed = routes?.allowedMethods(for: request.uri.path) ?? []
            if allowed.isEmpty {
                (problem, headers) = (Problem(status: .notFound, detail: Self.detail(for: .notFound, request)), error.headers)
            } else {
                let allow = allowed.map(\.rawValue).joined(separator: ", ")
                let detail = "\(request.method) is not allowed on \(request.uri.path); it answers \(allow)"
                (problem, headers) = (Problem(status: .methodNotAllowed, detail: detail), [.allow: allow])
            }
        } catch let error as HTTPError {
            (problem, headers) = (Problem(status: error.status, detail: error.body ?? Self.detail(for: error.status, request)), error.headers)
        } catch is NIOTooManyBytesError {
            (problem, headers) = (Problem(.init(.tooLarge, "the request body is too large")), [:])
        } catch {
            context.logger.error("request failed", metadata: ["ferry.error": "\(String(reflecting: error))"])
            (problem, headers) = (Self.internalError, [:])
        }
        if let renderer, Self.isBrowser(request), let page = try? renderer.render(ErrorPage(problem), status: problem.httpStatus) {
            var response = page
            for field in headers where field.name != .contentType { response.headers[field.name] = field.value }
            return response
        }
        return problem.response(headers: headers)
    }

    /// A 500 that says nothing of the internals; the log has the error and its cause.
    private static var internalError: Problem {
        Problem(status: .internalServerError, detail: "something went wrong on our side; it has been logged")
    }

    /// A browser asking for a page: it accepts HTML, and the path is not one of the APIs'
    /// (whose clients read problem+json whatever they accept).
    static func isBrowser(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept], accept.contains("text/html") else { return false }
        let path = request.uri.path
        return !(path.hasPrefix("/api/") || path.hasPrefix(SitePath.atomPubPrefix) || path == SitePath.xmlRPC || path == SitePath.webSubHub)
    }

    private static func detail(for status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "there is no \(request.method) \(request.uri.path)"
        case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
        default: status.reasonPhrase
        }
    }
}

/// An error as a page: its status's name and the problem's detail, never indexed.
struct ErrorPage: PageModel {
    var templateName: String { "error" }
    var title: String
    var heading: String
    var detail: String
    var language = "en"
    var stylesheet = SitePath.stylesheet("ferry.css")
    var noindex = true

    init(_ problem: Problem) {
        title = problem.title
        heading = problem.status == 404 ? "Not found" : problem.title
        detail = problem.detail
    }
}
