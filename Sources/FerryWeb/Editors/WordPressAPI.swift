import FerryCore
import FerryImport
import FerryStore
import Foundation

/// The `wp.*` methods python-wordpress-xmlrpc 2.3 (and WordPress's own apps) use. A post's
/// tags are both its `post_tag` and `category` terms, each term known by its name; `blog_id`
/// is a blog's slug (from `wp.getUsersBlogs`), and anything else — the library sends 0 — means
/// the identity's first blog.
extension BlogEditorAPI {
    static let wordPressMethods = [
        "wp.newPost", "wp.editPost", "wp.getPost", "wp.getPosts", "wp.deletePost", "wp.getTerms", "wp.getTags", "wp.getCategories",
        "wp.uploadFile",
    ]

    /// The answer to a `wp.*` method, or nil for a method ferry does not know.
    func wordPressCall(_ method: String, _ params: Parameters, client: String) async throws -> XMLRPCValue? {
        guard Self.wordPressMethods.contains(method) else { return nil }
        let owner = try await signIn(params, user: 1, client: client)
        let blog = try await blog(params.string(0), of: owner)
        switch method {
        case "wp.newPost":
            let content = try params.structure(3)
            let post = try await newPost(in: blog, by: owner, content: Self.metaWeblog(content), publish: try Self.publishes(content) ?? false)
            return .string(String(post.id.rawValue))
        case "wp.editPost":
            let content = try params.structure(4)
            _ = try await editPost(try params.post(3), by: owner, content: Self.metaWeblog(content), publish: try Self.publishes(content))
            return .boolean(true)
        case "wp.getPost":
            let (post, slug) = try await ownedPost(try params.post(3), by: owner)
            return wordPressValue(of: post, in: slug, owner: owner)
        case "wp.getPosts":
            let filter = params.values.count > 3 ? params.values[3].structure ?? [:] : [:]
            let offset = max(0, filter["offset"]?.int ?? 0)
            let number = max(1, min(filter["number"]?.int ?? 10, Self.recentLimit))
            guard filter["post_type"]?.string.map({ $0 == "post" }) ?? true else { return .array([]) }
            let kinds: Set<PostKind> =
                switch filter["post_status"]?.string {
                case "publish": [.post]
                case "draft": [.draft]
                case nil, "any": [.post, .draft]
                default: []
                }
            let posts = try await database.posts(in: database.ownedBlog(blog, by: owner).id, limit: min(offset + number, Self.recentLimit), kinds: kinds)
            return .array(posts.dropFirst(offset).map { wordPressValue(of: $0, in: blog, owner: owner) })
        case "wp.deletePost":
            try await deletePost(try params.post(3), by: owner)
            return .boolean(true)
        case "wp.getTerms", "wp.getTags", "wp.getCategories":
            guard case .array(let categories) = try await categories(of: blog, by: owner, movableType: true) else { return .array([]) }
            let names = categories.compactMap { $0.structure?["categoryName"]?.string }
            let taxonomy = method == "wp.getTerms" ? params.string(3) ?? "post_tag" : method == "wp.getTags" ? "post_tag" : "category"
            return .array(names.map { term($0, taxonomy: taxonomy, blog: blog) })
        default:
            let file = try params.structure(3)
            guard case .structure(let media) = try await newMediaObject(in: blog, by: owner, file: file) else { return .structure([:]) }
            return .structure(media.merging(["id": media["file"] ?? .string("")]) { current, _ in current })
        }
    }

    /// The blog `text` names if the identity owns it, else the identity's first blog.
    private func blog(_ text: String?, of owner: IdentityID) async throws -> BlogSlug {
        let blogs = try await database.blogs(ownedBy: owner)
        if let text, let named = blogs.first(where: { $0.slug.rawValue == text }) { return named.slug }
        guard let first = blogs.min(by: { $0.createdAt < $1.createdAt }) else {
            throw FerryError(.notFound, "this identity has no blog yet: move one here or make one first")
        }
        return first.slug
    }

    /// WordPress's post fields in MetaWeblog's words, for the one way of writing a post.
    private static func metaWeblog(_ content: [String: XMLRPCValue]) -> [String: XMLRPCValue] {
        var translated: [String: XMLRPCValue] = [:]
        translated["title"] = content["post_title"]
        translated["description"] = content["post_content"]
        translated["date_created_gmt"] = content["post_date_gmt"] ?? content["post_date"]
        translated["wp_slug"] = content["post_name"]
        var tags: [XMLRPCValue] = []
        for field in ["terms_names", "terms"] {
            for taxonomy in ["post_tag", "category"] { tags += content[field]?.structure?[taxonomy]?.array ?? [] }
        }
        if content["terms_names"] != nil || content["terms"] != nil { translated["categories"] = .array(tags) }
        return translated
    }

    /// Whether `content` publishes its post (`publish`; `future` too, as ferry does not
    /// schedule posts) or keeps it a draft (`draft`); nil when it does not say. Statuses
    /// ferry has no place for (pending review, private posts) are refused, not guessed at.
    private static func publishes(_ content: [String: XMLRPCValue]) throws(FerryError) -> Bool? {
        if let type = content["post_type"]?.string, type != "post" {
            throw FerryError.invalid("post_type", "only posts are written through editors, not '\(type)'")
        }
        switch content["post_status"]?.string {
        case nil: return nil
        case "publish", "future": return true
        case "draft": return false
        case let status?:
            throw FerryError.invalid(
                "post_status", "ferry keeps published posts and drafts, not '\(status.prefix(40))': set post_status to publish or draft")
        }
    }

    private func wordPressValue(of post: Post, in slug: BlogSlug, owner: IdentityID) -> XMLRPCValue {
        let link = link(to: post, in: slug)
        return .structure([
            "post_id": .string(String(post.id.rawValue)), "post_title": .string(post.title), "post_content": .string(post.content),
            "post_date": .dateTime(post.publishedAt), "post_date_gmt": .dateTime(post.publishedAt), "post_modified": .dateTime(post.updatedAt),
            "post_modified_gmt": .dateTime(post.updatedAt), "post_status": .string(Self.status(of: post)), "post_type": .string("post"),
            "post_name": .string(post.slug.rawValue), "post_author": .string(String(owner.rawValue)), "post_password": .string(""),
            "post_excerpt": .string(""), "post_parent": .string("0"), "post_mime_type": .string(""), "link": .string(link),
            "guid": .string(post.entryID), "menu_order": .int(0), "comment_status": .string("open"), "ping_status": .string("closed"),
            "sticky": .boolean(false), "post_format": .string("standard"), "custom_fields": .array([]),
            "terms": .array(post.tags.map { term($0, taxonomy: "post_tag", blog: slug) }),
        ])
    }

    private func term(_ name: String, taxonomy: String, blog: BlogSlug) -> XMLRPCValue {
        .structure([
            "term_id": .string(name), "name": .string(name), "slug": .string(name), "taxonomy": .string(taxonomy),
            "term_taxonomy_id": .string(name), "term_group": .string("0"), "description": .string(""), "parent": .string("0"), "count": .int(0),
        ])
    }
}
