import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// Who is looking at a page, for the sign-in bar.
struct Viewer: Sendable {
    var handle: String
    var profileURL: String
    /// The `FormToken` of the viewer's forms (signing out, and any other).
    var csrf: String

    init(_ identity: Identity, request: Request) {
        handle = identity.handle.rawValue
        profileURL = SitePath.profile(identity.handle)
        csrf = FormToken.forSession(request) ?? ""
    }
}

/// What every blog page shows about the blog it belongs to.
struct BlogChrome: Sendable {
    var blogTitle: String
    var language: String
    var homeURL: String
    var feedURL: String
    /// Where desktop editors discover the blog's API (`rel="EditURI"`) and its manifest.
    var editURI: String
    var editorManifestURL: String
    /// The AtomPub service document (`rel="service"`).
    var atomPubServiceURL: String
    var ownerName: String
    /// Only a blog linked to its owner's identity links to the profile and shows the photo.
    var linkedOwner: LinkedOwner?
    /// Hidden and private blogs ask search engines to stay away.
    var noindex: Bool
    /// The blog's pages ("About", "Contact"), linked from each of its pages.
    var pages: [PageLink]

    struct LinkedOwner: Sendable {
        var url: String
        /// By reference: the URL the identity gave, loaded from wherever it is.
        var photoURL: String?
    }

    struct PageLink: Sendable {
        var title: String
        var url: String
    }

    init(_ blog: Blog, owner: Identity, pages: [FerryStore.PageLink]) {
        self.pages = pages.map { PageLink(title: $0.title, url: SitePath.page(blog.slug, $0.slug)) }
        blogTitle = blog.title
        language = blog.language.rawValue
        homeURL = SitePath.blogHome(blog.slug)
        feedURL = SitePath.feed(blog.slug)
        editURI = SitePath.rsd(blog.slug)
        editorManifestURL = SitePath.editorManifest(blog.slug)
        atomPubServiceURL = SitePath.atomPubService(blog.slug)
        ownerName = owner.profile.displayName
        if blog.isLinked {
            linkedOwner = LinkedOwner(url: SitePath.profile(owner.handle), photoURL: owner.profile.photoURL)
        }
        noindex = blog.visibility != .public
    }
}

/// A post as a page shows it. `content` is sanitized HTML, written unescaped by the templates.
struct PostSummary: Sendable {
    var title: String
    var url: String
    var content: String
    var tags: [String]
    var publishedISO: String
    var publishedDate: String
    var commentCount: Int?

    init(_ post: Post, blog: BlogSlug) {
        title = post.title
        url = SitePath.permalink(blog, post)
        content = post.content
        tags = post.tags
        publishedISO = post.publishedAt.formatted(.iso8601)
        publishedDate = post.publishedAt.formatted(.iso8601.year().month().day())
        commentCount = post.commentCount > 0 ? post.commentCount : nil
    }
}

/// `/{slug}/`: the newest posts, a page at a time.
struct BlogHomePage: ReaderPage {
    var templateName: String { "blog" }
    var chrome: BlogChrome
    var title: String
    var posts: [PostSummary]
    var olderURL: String?
    var returnPath: String
    var stylesheet = SitePath.stylesheet("ferry.css")
    var noindex: Bool { chrome.noindex }

    init(blog: Blog, owner: Identity, pages: [FerryStore.PageLink], posts: [Post], olderThan: PostID?) {
        chrome = BlogChrome(blog, owner: owner, pages: pages)
        title = blog.title
        self.posts = posts.map { PostSummary($0, blog: blog.slug) }
        olderURL = olderThan.map { "\(SitePath.blogHome(blog.slug))?before=\($0)" }
        returnPath = SitePath.blogHome(blog.slug)
    }
}

/// `/{slug}/{yyyy}/{mm}/{post}`: one post and its comments; or `/{slug}/pages/{page}`, one page
/// and its comments, which shows no date.
struct PostPage: ReaderPage {
    struct CommentView: Sendable {
        var id: Int64
        var name: String
        var authorURL: String?
        var content: String
        var createdISO: String
        var createdDate: String
        /// How far the reply is indented: its depth in its thread, at most `deepestIndent`.
        var indent: Int
        /// The comment this one answers, for the "in reply to" link.
        var replyTo: Int64?
    }

    /// Threads deeper than this are not indented further, so they stay readable on a phone.
    static let deepestIndent = 5

    var templateName: String { "post" }
    var chrome: BlogChrome
    var title: String
    var postTitle: String
    var content: String
    var tags: [String]
    var publishedISO: String
    var publishedDate: String
    var comments: [CommentView]
    /// Set when the post has more comments than one page shows.
    var laterCommentsURL: String?
    /// Set on a later page of comments.
    var firstCommentsURL: String?
    var isPage: Bool
    var returnPath: String
    var stylesheet = SitePath.stylesheet("ferry.css")
    var noindex: Bool { chrome.noindex }

    init(blog: Blog, owner: Identity, pages: [FerryStore.PageLink], post: Post, comments: [Comment]) {
        let summary = PostSummary(post, blog: blog.slug)
        chrome = BlogChrome(blog, owner: owner, pages: pages)
        isPage = post.kind == .page
        title = "\(post.title) · \(blog.title)"
        postTitle = post.title
        content = post.content
        tags = post.tags
        publishedISO = summary.publishedISO
        publishedDate = summary.publishedDate
        self.comments = Comment.threaded(comments).map { threaded in
            let comment = threaded.comment
            var authorURL: String?
            if case .identity(_, let handle, _) = comment.author { authorURL = SitePath.profile(handle) }
            return CommentView(
                id: comment.id.rawValue, name: comment.author.displayName, authorURL: authorURL, content: comment.content,
                createdISO: comment.createdAt.formatted(.iso8601), createdDate: comment.createdAt.formatted(.iso8601.year().month().day()),
                indent: min(threaded.depth, Self.deepestIndent), replyTo: threaded.depth > 0 ? comment.parentID?.rawValue : nil
            )
        }
        returnPath = summary.url
    }
}

/// `/login`: the form that sets the session cookie.
struct SignInPage: SignInTokenForm {
    var templateName: String { "login" }
    var title = "Sign in"
    var language = "en"
    var message: String?
    var handle: String
    var next: String
    /// Set by `SignInController`, with the cookie it is checked against.
    var csrf = ""
    var stylesheet = SitePath.stylesheet("ferry.css")
    var noindex = true
}
