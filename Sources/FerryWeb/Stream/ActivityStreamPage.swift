import FerryCore
import FerryRender
import FerryStore
import Foundation
import Hummingbird

/// A page of a stream as an Activity Streams 2.0 `OrderedCollectionPage`.
struct ActivityStreamPage: Encodable {
    static let contentType = "application/activity+json"

    let context = "https://www.w3.org/ns/activitystreams"
    let type = "OrderedCollectionPage"
    var id: String
    var partOf: String
    var next: String?
    var orderedItems: [StreamActivity]

    enum CodingKeys: String, CodingKey {
        case context = "@context", type, id, partOf, next, orderedItems
    }

    func response() throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Response(
            status: .ok, headers: [.contentType: Self.contentType, .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(self)))
        )
    }
}

struct StreamActivity: Encodable {
    var id: String
    var type: String
    /// HTML, as AS2 natural-language values are.
    var summary: String
    var published: String
    var actor: Person
    var object: Object
    var target: String?

    struct Person: Encodable {
        let type = "Person"
        var id: String
        var url: String
        var preferredUsername: String
        var name: String
        /// The identity's photo, by reference: the URL it gave, never a copy.
        var icon: Image?

        enum CodingKeys: CodingKey { case type, id, url, preferredUsername, name, icon }
    }

    struct Image: Encodable {
        let type = "Image"
        var url: String

        enum CodingKeys: CodingKey { case type, url }
    }

    struct Object: Encodable {
        var type: String
        var id: String
        var name: String?
        var url: String
        var summary: String?
        var content: String?
        var contentMap: [String: String]?
        var inReplyTo: String?
        var published: String?
        var updated: String?
    }

    init(_ entry: StreamEntry) {
        let item = entry.item
        id = entry.id
        type = entry.type
        summary = MarkupEscaping.text(entry.headline)
        published = AtomDocument.timestamp(item.activity.createdAt)
        actor = Person(
            id: entry.profileURL, url: entry.profileURL, preferredUsername: item.actor.handle.rawValue, name: entry.actorName,
            icon: item.actor.profile.photoURL.map { Image(url: $0) }
        )
        let language = item.blog.language.rawValue
        switch (item.activity.verb, item.post) {
        case (.comment, let post?):
            object = Object(
                type: "Note", id: entry.url, url: entry.url, contentMap: [language: entry.contentHTML],
                inReplyTo: entry.site.url + SitePath.permalink(item.blog.slug, post)
            )
        case (_, let post?):
            object = Object(
                type: "Article", id: entry.url, name: post.title, url: entry.url, summary: entry.excerpt,
                contentMap: [language: post.content], published: AtomDocument.timestamp(post.publishedAt),
                updated: AtomDocument.timestamp(post.updatedAt)
            )
        case (_, nil):
            object = Object(type: "Page", id: entry.blogURL, name: item.blog.title, url: entry.blogURL, content: item.activity.summary.map(MarkupEscaping.text))
            if item.activity.verb == .link { target = entry.profileURL }
        }
    }
}
