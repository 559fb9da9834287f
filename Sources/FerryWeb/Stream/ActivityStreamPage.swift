import FerryCore
import FerryRender
import FerryStore
import Foundation
import Hummingbird

/// A page of a stream as an Activity Streams 2.0 `OrderedCollectionPage`. Written with
/// `JSONObject` rather than `JSONEncoder`, which took a fifth of a stream request.
struct ActivityStreamPage {
    static let contentType = "application/activity+json"

    var id: String
    var partOf: String
    var next: String?
    var orderedItems: [StreamActivity]

    var json: String {
        var page = JSONObject()
        page.add("@context", "https://www.w3.org/ns/activitystreams")
        page.add("type", "OrderedCollectionPage")
        page.add("id", id)
        page.add("partOf", partOf)
        page.add("next", next)
        page.addJSON("orderedItems", "[" + orderedItems.map(\.json).joined(separator: ",") + "]")
        return page.json
    }

    func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: Self.contentType, .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(string: json))
        )
    }
}

/// One activity: actor, verb as AS2 type, object, published time. Natural-language values
/// (`summary`, `content`) are HTML, as AS2 says.
struct StreamActivity {
    var json: String

    init(_ entry: StreamEntry) {
        let item = entry.item
        var actor = JSONObject()
        actor.add("type", "Person")
        actor.add("id", entry.profileURL)
        actor.add("url", entry.profileURL)
        actor.add("preferredUsername", item.actor.handle.rawValue)
        actor.add("name", entry.actorName)
        // The identity's photo, by reference: the URL it gave, never a copy.
        actor.addJSON("icon", item.actor.profile.photoURL.map { #"{"type":"Image","url":\#(JSONText.string($0))}"# })

        var activity = JSONObject()
        activity.add("id", entry.id)
        activity.add("type", entry.type)
        activity.add("summary", MarkupEscaping.text(entry.headline))
        activity.add("published", AtomDocument.timestamp(item.activity.createdAt))
        activity.addJSON("actor", actor.json)
        activity.addJSON("object", Self.object(entry))
        if item.activity.verb == .link { activity.add("target", entry.profileURL) }
        json = activity.json
    }

    /// A comment is a `Note` replying to the post; a post an `Article`; a link or a migration
    /// is about the blog, a `Page`.
    private static func object(_ entry: StreamEntry) -> String {
        let item = entry.item
        let url = entry.url
        let contentMap = { (html: String) in "{\(JSONText.string(item.blog.language.rawValue)):\(JSONText.string(html))}" }
        var object = JSONObject()
        switch (item.activity.verb, item.post) {
        case (.comment, let post?):
            object.add("type", "Note")
            object.add("id", url)
            object.add("url", url)
            object.addJSON("contentMap", contentMap(entry.contentHTML))
            object.add("inReplyTo", entry.site.url + SitePath.permalink(item.blog.slug, post))
        case (_, let post?):
            object.add("type", "Article")
            object.add("id", url)
            object.add("name", post.title)
            object.add("url", url)
            object.add("summary", entry.excerpt)
            object.addJSON("contentMap", contentMap(post.content))
            object.add("published", AtomDocument.timestamp(post.publishedAt))
            object.add("updated", AtomDocument.timestamp(post.updatedAt))
        case (_, nil):
            object.add("type", "Page")
            object.add("id", entry.blogURL)
            object.add("name", item.blog.title)
            object.add("url", entry.blogURL)
            object.add("content", item.activity.summary.map(MarkupEscaping.text))
        }
        return object.json
    }
}
