import FerryCore
import FerryStore
import Foundation

/// `/stream`: the signed-in identity's contact stream as a page, with links to each post.
struct StreamHTMLPage: PageModel {
    struct Item: Sendable {
        var headline: String
        var url: String
        var actorName: String
        var profileURL: String
        var photoURL: String?
        /// Text of sanitized HTML with its tags removed: escaped already, written as is.
        var excerpt: String?
        var publishedISO: String
        var publishedDate: String
    }

    var templateName: String { "stream" }
    var noindex: Bool { true }
    var title = "Your contacts"
    var language = "en"
    var items: [Item]
    var olderURL: String?
    var feedURL = SitePath.API.streamFeed
    /// The feed's title, as the shared page head calls it.
    var blogTitle = "Your contacts (Atom)"
    var viewer: Viewer?
    var returnPath = SitePath.streamHTML
    var stylesheet = SitePath.stylesheet("ferry.css")

    init(entries: [StreamEntry], olderCursor: String?, viewer: Viewer) {
        items = entries.map { entry in
            Item(
                headline: entry.headline, url: entry.url, actorName: entry.actorName, profileURL: entry.profileURL,
                photoURL: entry.item.actor.profile.photoURL, excerpt: entry.activity.verb == .comment ? nil : entry.excerpt,
                publishedISO: entry.activity.createdAt.formatted(.iso8601),
                publishedDate: entry.activity.createdAt.formatted(.iso8601.year().month().day())
            )
        }
        olderURL = olderCursor.map { "\(SitePath.streamHTML)?before=\($0)" }
        self.viewer = viewer
    }
}
