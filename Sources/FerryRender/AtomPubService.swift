/// An AtomPub service document (RFC 5023 §8) for one blog: a workspace with a collection of
/// posts, which takes Atom entries and any category (ferry's tags), and one of photos and
/// videos.
public struct AtomPubService: Sendable {
    public var blogTitle: String
    public var entriesURL: String
    public var mediaURL: String
    public var mediaTypes: [String]

    public init(blogTitle: String, entriesURL: String, mediaURL: String, mediaTypes: [String]) {
        self.blogTitle = blogTitle
        self.entriesURL = entriesURL
        self.mediaURL = mediaURL
        self.mediaTypes = mediaTypes
    }

    public static let contentType = "application/atomsvc+xml; charset=utf-8"

    public func render() -> String {
        let accepts = mediaTypes.map { "      <accept>\(MarkupEscaping.text($0))</accept>\n" }.joined()
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <service xmlns="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom">
              <workspace>
                <atom:title type="text">\(MarkupEscaping.text(blogTitle))</atom:title>
                <collection href="\(MarkupEscaping.attribute(entriesURL))">
                  <atom:title type="text">Posts</atom:title>
                  <accept>application/atom+xml;type=entry</accept>
                  <categories fixed="no"/>
                </collection>
                <collection href="\(MarkupEscaping.attribute(mediaURL))">
                  <atom:title type="text">Photos and videos</atom:title>
            \(accepts)    </collection>
              </workspace>
            </service>

            """
    }
}
