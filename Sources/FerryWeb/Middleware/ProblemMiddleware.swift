import FerryCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The web boundary for errors: whatever a route throws leaves as `application/problem+json`.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as FerryError where error.code == .brokenInvariant {
            context.logger.error("request failed", metadata: ["ferry.error": "\(error)"])
            return Self.internalError
        } catch let error as FerryError {
            var headers: HTTPFields = [:]
            if error.code == .unauthenticated {
                // Feed readers and AtomPub clients may use HTTP Basic; the API takes bearer tokens only.
                let basic = request.uri.path.hasSuffix(".atom") || request.uri.path.hasPrefix(SitePath.atomPubPrefix)
                headers[.wwwAuthenticate] = basic ? Authenticator.feedChallenge : Authenticator.apiChallenge
            }
            return Problem(error).response(headers: headers)
        } catch let error as HTTPError {
            return Problem(status: error.status, detail: error.body ?? Self.detail(for: error.status, request)).response(headers: error.headers)
        } catch is NIOTooManyBytesError {
            return Problem(.init(.tooLarge, "the request body is too large")).response()
        } catch {
            context.logger.error("request failed", metadata: ["ferry.error": "\(String(reflecting: error))"])
            return Self.internalError
        }
    }

    /// A 500 that says nothing of the internals; the log has the error and its cause.
    private static var internalError: Response {
        Problem(status: .internalServerError, detail: "something went wrong on our side; it has been logged").response()
    }

    private static func detail(for status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "there is no \(request.method) \(request.uri.path)"
        case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
        default: status.reasonPhrase
        }
    }
}
