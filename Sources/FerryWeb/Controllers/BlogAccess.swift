import FerryCore
import FerryStore
import Hummingbird

/// Reading a blog named in a path, as the caller's rights allow.
struct BlogAccess: Sendable {
    let database: AppDatabase

    /// The blog at `{slug}` if `reader` may read it. A private blog the reader may not read is
    /// reported exactly like a blog that does not exist.
    func readableBlog(_ context: AppRequestContext, as reader: IdentityID?) async throws -> Blog {
        let slug = try Self.slug(context)
        guard let blog = try await database.blog(slug: slug), try await database.canRead(blog, as: reader) else {
            throw FerryError(.notFound, "there is no blog at '\(slug)'")
        }
        return blog
    }

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
