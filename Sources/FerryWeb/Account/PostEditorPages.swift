import FerryCore
import Foundation

/// `/me/blogs/{slug}/posts`: the blog's posts and drafts, newest first, each to edit or delete.
struct PostListPage: PageModel {
    var templateName: String { "posts-editor" }
    var noindex = true
    var frame: AccountFrame
    var blogTitle: String
    var blogURL: String
    var newPostURL: String
    var posts: [Line]
    var olderURL: String?

    struct Line: Sendable {
        var title: String
        var url: String
        var editURL: String
        var deleteAction: String
        var published: String
        var isDraft: Bool
    }

    init(frame: AccountFrame, blog: Blog, posts: [Post]) {
        self.frame = frame
        blogTitle = blog.title
        blogURL = SitePath.blogHome(blog.slug)
        newPostURL = SitePath.newPost(blog.slug)
        self.posts = posts.map { post in
            Line(
                title: post.title.isEmpty ? "(untitled)" : post.title,
                url: post.kind == .draft ? SitePath.editPost(blog.slug, post.id) : SitePath.permalink(blog.slug, post),
                editURL: SitePath.editPost(blog.slug, post.id), deleteAction: SitePath.deletePost(blog.slug, post.id),
                published: post.publishedAt.formatted(.iso8601.year().month().day()), isDraft: post.kind == .draft)
        }
    }
}

/// The editor: a new post, a draft, or a published post to change. A new post or a draft is
/// published or kept as a draft by the button that sends the form (`status`).
struct PostEditorPage: PageModel {
    var templateName: String { "post-editor" }
    var noindex = true
    var frame: AccountFrame
    var blogTitle: String
    var blogURL: String
    var action: String
    var postTitle = ""
    var content = ""
    var tags = ""
    var maxBytes: Int
    var maxSize: String
    var isNew = true
    /// A new post or a draft: it may still be kept as a draft.
    var isUnpublished = true
    var errors = FieldErrors()

    static let fields: Set<String> = ["title", "content", "tags", "file"]

    init(frame: AccountFrame, blog: Blog, maxBytes: Int) {
        self.frame = frame
        blogTitle = blog.title
        blogURL = SitePath.blogHome(blog.slug)
        action = SitePath.newPost(blog.slug)
        self.maxBytes = maxBytes
        maxSize = ByteCountFormatter.string(fromByteCount: Int64(maxBytes), countStyle: .file)
    }

    /// The tags field: comma-separated, as people type them.
    var tagList: [String] {
        tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    mutating func show(_ post: Post, blog: BlogSlug) {
        action = SitePath.editPost(blog, post.id)
        postTitle = post.title
        content = post.content
        tags = post.tags.joined(separator: ", ")
        isNew = false
        isUnpublished = post.kind == .draft
    }

    mutating func fill(_ fields: [String: String]) {
        postTitle = fields["title"] ?? postTitle
        content = fields["content"] ?? content
        tags = fields["tags"] ?? tags
    }
}
