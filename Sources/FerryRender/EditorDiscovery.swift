/// What a desktop blog editor reads to find its way to a blog: the RSD document (Really Simple
/// Discovery 1.0) that a blog's `<link rel="EditURI">` points at, listing the APIs and the
/// endpoint to send them to, and the Windows Live Writer manifest (`<link rel="wlwmanifest">`)
/// that says what the blog supports. Open Live Writer reads both when an account is added.
public enum EditorDiscovery {
    public static let rsdContentType = "application/rsd+xml; charset=utf-8"
    public static let manifestContentType = "application/wlwmanifest+xml; charset=utf-8"
    /// The APIs ferry answers at its one XML-RPC endpoint, WordPress's first (the richest).
    public static let apis = ["WordPress", "MovableType", "MetaWeblog", "Blogger"]

    /// The RSD of the blog `blogID` whose home is `homePage`, served by `apiLink`, and by
    /// AtomPub at the service document `atomPubLink`.
    public static func rsd(blogID: String, homePage: String, apiLink: String, atomPubLink: String, engineLink: String) -> String {
        let apiLines =
            apis.map { name in
                #"      <api name="\#(name)" blogID="\#(MarkupEscaping.attribute(blogID))" preferred="\#(name == apis[0])" apiLink="\#(MarkupEscaping.attribute(apiLink))"/>"#
            } + [
                #"      <api name="Atom" blogID="\#(MarkupEscaping.attribute(blogID))" preferred="false" apiLink="\#(MarkupEscaping.attribute(atomPubLink))"/>"#
            ]
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rsd version="1.0" xmlns="http://archipelago.phrasewise.com/rsd">
              <service>
                <engineName>ferry</engineName>
                <engineLink>\(MarkupEscaping.text(engineLink))</engineLink>
                <homePageLink>\(MarkupEscaping.text(homePage))</homePageLink>
                <apis>
            \(apiLines.joined(separator: "\n"))
                </apis>
              </service>
            </rsd>

            """
    }

    /// What ferry supports, in the options Open Live Writer knows: tags stand for categories
    /// (any new one may be typed), drafts and slugs are kept, photos and videos upload; no
    /// excerpts or per-post comment settings (a post has neither: the editor must not offer
    /// fields whose text would be dropped), trackbacks, pings, pages, scripts or embeds (the
    /// sanitizer removes them).
    public static let supported: [(option: String, value: Bool)] = [
        ("supportsCategories", true), ("supportsMultipleCategories", true), ("supportsNewCategories", true),
        ("supportsNewCategoriesInline", true), ("supportsKeywords", true), ("supportsGetTags", true),
        ("supportsHierarchicalCategories", false), ("supportsPostAsDraft", true), ("supportsSlug", true),
        ("supportsExcerpt", false), ("supportsExtendedEntries", true), ("supportsFileUpload", true),
        ("supportsImageUpload", true), ("supportsCustomDate", true), ("supportsEmptyTitles", true),
        ("supportsTrackbacks", false), ("supportsPingPolicy", false), ("supportsCommentPolicy", false),
        ("supportsPages", false), ("supportsPageParent", false), ("supportsPageOrder", false),
        ("supportsPassword", false), ("supportsAuthor", false), ("supportsScripts", false), ("supportsEmbeds", false),
        ("requiresHtmlTitles", false),
    ]

    /// The manifest; `adminURL` is where the owner manages the blog in a browser.
    public static func manifest(adminURL: String) -> String {
        let options = supported.map { "    <\($0.option)>\($0.value ? "Yes" : "No")</\($0.option)>" }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest xmlns="http://schemas.microsoft.com/wlw/manifest/weblog">
              <options>
                <clientType>WordPress</clientType>
            \(options.joined(separator: "\n"))
              </options>
              <weblog>
                <serviceName>ferry</serviceName>
                <homepageLinkText>View your blog</homepageLinkText>
                <adminLinkText>Your dashboard</adminLinkText>
                <adminUrl>\(MarkupEscaping.text(adminURL))</adminUrl>
              </weblog>
            </manifest>

            """
    }
}
