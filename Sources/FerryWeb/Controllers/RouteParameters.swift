import FerryCore
import Hummingbird

/// The parameters of a route's path, read so that anything malformed is "not found": a path
/// that cannot name a blog or a post names nothing.
enum RouteParameters {
    /// The `{slug}` parameter; any malformed name reads as "no such blog", not a validation error.
    static func slug(_ context: AppRequestContext) throws -> BlogSlug {
        let text = try context.parameters.require("slug")
        guard let slug = try? BlogSlug(validating: text) else {
            throw FerryError(.notFound, "there is no blog at '\(text)'")
        }
        return slug
    }

    /// A numeric id parameter; anything else is "not found".
    static func id(_ name: String, _ context: AppRequestContext) throws -> Int64 {
        let text = try context.parameters.require(name)
        guard let id = Int64(text), id > 0 else { throw FerryError(.notFound, "there is no \(name) '\(text)'") }
        return id
    }
}
