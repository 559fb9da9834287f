import FerryCore
import FerryRender
import Hummingbird

/// Request-size and paging limits shared by the JSON controllers.
struct RequestLimits: Sendable {
    var jsonBodyBytes: Int
    /// The largest post or comment HTML, before sanitizing.
    var htmlBytes: Int = 1 << 20
    var defaultPageSize = 50
    var maximumPageSize = 200

    /// A post body may carry `htmlBytes` of HTML even when JSON escaping doubles it.
    var postBodyBytes: Int { max(jsonBodyBytes, htmlBytes * 2 + 64 * 1024) }

    /// The `limit` query parameter, checked against the allowed page sizes.
    func pageSize(_ request: Request, default standard: Int? = nil, maximum: Int? = nil) throws -> Int {
        let maximum = maximum ?? maximumPageSize
        guard let text = request.uri.queryParameters.get("limit") else { return standard ?? defaultPageSize }
        guard text.utf8.count <= 6, let size = Int(text), (1...maximum).contains(size) else {
            throw FerryError.invalid("limit", "must be a whole number from 1 to \(maximum)")
        }
        return size
    }

    /// `html` within the size limit (413 otherwise), sanitized; `required` refuses HTML that
    /// has nothing left once what is not allowed is removed.
    func sanitizedHTML(_ html: String, with sanitizer: HTMLSanitizer, required: Bool, field: String = "content") throws -> String {
        guard html.utf8.count <= htmlBytes else {
            throw FerryError(.tooLarge, "\(field) is larger than the limit of \(htmlBytes) bytes of HTML", field: field)
        }
        let safe = sanitizer.sanitize(html)
        if required, safe.trimmingWhiteSpace().isEmpty {
            throw FerryError.invalid(field, "must not be empty (markup that is not allowed, such as scripts, is removed)")
        }
        return safe
    }
}
