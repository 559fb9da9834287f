import FerryCore

/// The one list of ferry's public paths, used both to route and to build links, so that no
/// URL is spelled twice.
enum SitePath {
    static let healthCheck = "/healthz"
    static let staticAssets = "/static"
    static let profilePattern = "/people/{handle}"

    static func profile(_ handle: Handle) -> String { "/people/\(handle.rawValue)" }
    static func blogHome(_ slug: BlogSlug) -> String { "/\(slug.rawValue)/" }
    static func stylesheet(_ name: String) -> String { "\(staticAssets)/\(name)" }
}
