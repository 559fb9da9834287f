/// A blog's address: `/{slug}/`. The handle alphabet, minus the names the site itself uses.
public struct BlogSlug: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// First path segments that ferry routes itself, or that browsers and crawlers ask for:
    /// a blog there would shadow them.
    public static let reserved: Set<String> = [
        "api", "people", "media", "static", "stream", "login", "logout", "signin", "signout",
        "healthz", "robots.txt", "sitemap.xml", "sitemaps", "favicon.ico", "feeds", "feed", "admin",
        "assets", "public", "problems", "humans.txt", "ads.txt", "security.txt",
        // The browser's own pages (the move wizard, the dashboard) and the editors' endpoints.
        "signup", "me", "move", "contacts", "claims", "help", "xmlrpc", "websub", "atompub",
    ]

    public init(validating input: String, field: String = "slug") throws(FerryError) {
        let handle = try Handle(validating: input, field: field)
        guard !Self.reserved.contains(handle.rawValue) else {
            throw .invalid(field, "'\(handle.rawValue)' is reserved by the site; choose another")
        }
        rawValue = handle.rawValue
    }

    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: BlogSlug, rhs: BlogSlug) -> Bool { lhs.rawValue < rhs.rawValue }
}
