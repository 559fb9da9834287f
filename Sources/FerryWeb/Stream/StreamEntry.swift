import FerryCore
import FerryRender
import FerryStore
import Foundation

/// One stream item in the words and links every surface shows (JSON, Atom, the HTML page).
struct StreamEntry: Sendable {
    let item: StreamItem
    let site: SiteAddress

    var activity: Activity { item.activity }
    var actorName: String { item.actor.profile.displayName }
    var profileURL: String { site.url + SitePath.profile(item.actor.handle) }
    var blogURL: String { site.url + SitePath.blogHome(item.blog.slug) }

    /// The post's permalink, a comment's anchor on it, or the blog's home.
    var url: String {
        guard let post = item.post else { return blogURL }
        let permalink = site.url + SitePath.permalink(item.blog.slug, post)
        return activity.comment.map { "\(permalink)#comment-\($0.rawValue)" } ?? permalink
    }

    /// Stable for the life of the activity, wherever the stream is read (a tag URI, RFC 4151).
    var id: String { "tag:\(site.idAuthority),2026:activity:\(activity.id.rawValue)" }

    /// The activity in a sentence, as plain text.
    var headline: String {
        let post = item.post.map { "“\($0.title)”" } ?? "a post"
        switch activity.verb {
        case .post: return "\(actorName) published \(post) in \(item.blog.title)"
        case .update: return "\(actorName) updated \(post) in \(item.blog.title)"
        case .comment: return "\(actorName) commented on \(post) in \(item.blog.title)"
        case .migrate: return "\(actorName) moved \(item.blog.title) to ferry: \(activity.summary ?? "nothing")"
        case .link: return "\(actorName) linked \(item.blog.title)"
        }
    }

    /// Activity Streams 2.0 type of the activity.
    var type: String {
        switch activity.verb {
        case .post, .comment: "Create"
        case .update: "Update"
        case .migrate: "Move"
        case .link: "Add"
        }
    }

    /// What the activity shows as HTML: the post, the comment, or the headline.
    var contentHTML: String {
        if activity.verb == .comment, let comment = item.comment { return comment }
        if let post = item.post { return post.content }
        return MarkupEscaping.text(headline)
    }

    /// The start of the post's text (still HTML-escaped, as AS2 summaries are HTML).
    var excerpt: String? {
        item.post.map { PostEdit.excerpt($0.content, length: 280) }
    }
}
