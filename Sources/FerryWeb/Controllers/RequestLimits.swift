import FerryCore
import Hummingbird

/// Request-size and paging limits shared by the JSON controllers.
struct RequestLimits: Sendable {
    var jsonBodyBytes: Int
    var defaultPageSize = 50
    var maximumPageSize = 200

    /// The `limit` query parameter, checked against the allowed page sizes.
    func pageSize(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return defaultPageSize }
        guard let size = Int(text), (1...maximumPageSize).contains(size) else {
            throw FerryError.invalid("limit", "must be a whole number from 1 to \(maximumPageSize)")
        }
        return size
    }
}
