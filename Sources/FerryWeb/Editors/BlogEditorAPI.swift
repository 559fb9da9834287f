import FerryCore
import FerryImport
import FerryRender
import FerryStore
import Foundation
import Hummingbird

/// The Blogger, MetaWeblog and Movable Type methods desktop editors call, over the same store
/// calls, checks and sanitizer as the JSON API: publishing here is publishing (the blog, its
/// feeds and, for a linked blog, the contacts' streams). Each call signs in with the handle
/// and password it carries, rationed like every sign-in.
struct BlogEditorAPI {
    let database: any Store
    let authenticator: Authenticator
    let uploader: MediaUploader
    let limits: RequestLimits
    let sanitizer: HTMLSanitizer
    let site: SiteAddress

    /// Posts `getRecentPosts` reads at most.
    static let recentLimit = 200
    /// Categories the lists offer at most (the most used ones).
    static let categoryLimit = 1_000

    static let methods =
        [
            "blogger.getUsersBlogs", "wp.getUsersBlogs", "metaWeblog.newPost", "metaWeblog.editPost", "metaWeblog.getPost",
            "metaWeblog.getRecentPosts", "metaWeblog.getCategories", "metaWeblog.newMediaObject", "blogger.deletePost",
            "mt.getCategoryList", "mt.getPostCategories", "mt.setPostCategories", "mt.supportedMethods",
        ] + wordPressMethods

    func call(_ call: XMLRPCCall, client: String) async throws -> XMLRPCValue {
        let params = Parameters(values: call.params)
        switch call.method {
        case "mt.supportedMethods":
            return .array(Self.methods.map(XMLRPCValue.string))
        case "blogger.getUsersBlogs":
            return try await usersBlogs(try await signIn(params, user: 1, client: client))
        case "wp.getUsersBlogs":
            return try await usersBlogs(try await signIn(params, user: 0, client: client))
        case "metaWeblog.newPost":
            let owner = try await signIn(params, user: 1, client: client)
            let post = try await newPost(in: try params.blog(0), by: owner, content: try params.structure(3), publish: params.bool(4))
            return .string(String(post.id.rawValue))
        case "metaWeblog.editPost":
            let owner = try await signIn(params, user: 1, client: client)
            _ = try await editPost(try params.post(0), by: owner, content: try params.structure(3), publish: params.bool(4))
            return .boolean(true)
        case "metaWeblog.getPost":
            let owner = try await signIn(params, user: 1, client: client)
            return try await post(try params.post(0), by: owner)
        case "metaWeblog.getRecentPosts":
            let owner = try await signIn(params, user: 1, client: client)
            return try await recentPosts(in: try params.blog(0), by: owner, count: params.int(3) ?? 10)
        case "metaWeblog.getCategories", "mt.getCategoryList":
            let owner = try await signIn(params, user: 1, client: client)
            return try await categories(of: try params.blog(0), by: owner, movableType: call.method.hasPrefix("mt."))
        case "metaWeblog.newMediaObject":
            let owner = try await signIn(params, user: 1, client: client)
            return try await newMediaObject(in: try params.blog(0), by: owner, file: try params.structure(3))
        case "blogger.deletePost":
            try await deletePost(try params.post(1), by: try await signIn(params, user: 2, client: client))
            return .boolean(true)
        case "mt.getPostCategories":
            let owner = try await signIn(params, user: 1, client: client)
            guard case .structure(let post) = try await post(try params.post(0), by: owner), let tags = post["categories"]?.array else { return .array([]) }
            return .array(tags.map { .structure(["categoryName": $0, "categoryId": $0, "isPrimary": .boolean(false)]) })
        case "mt.setPostCategories":
            let owner = try await signIn(params, user: 1, client: client)
            let names = (params.values.count > 3 ? params.values[3].array ?? [] : []).compactMap { category in
                category.structure.flatMap { $0["categoryName"]?.string ?? $0["categoryId"]?.string }
            }
            _ = try await editPost(try params.post(0), by: owner, content: ["categories": .array(names.map(XMLRPCValue.string))], publish: nil)
            return .boolean(true)
        default:
            guard let value = try await wordPressCall(call.method, params, client: client) else {
                throw FerryError(.notFound, "ferry does not know the method '\(call.method.prefix(80))'", field: XMLRPCFault.unknownMethodField)
            }
            return value
        }
    }

    // MARK: Methods

    private func usersBlogs(_ owner: IdentityID) async throws -> XMLRPCValue {
        .array(
            try await database.blogs(ownedBy: owner).map { blog in
                .structure([
                    "blogid": .string(blog.slug.rawValue), "blogName": .string(blog.title), "url": .string(site.url + SitePath.blogHome(blog.slug)),
                    "xmlrpc": .string(site.url + SitePath.xmlRPC), "isAdmin": .boolean(true),
                ])
            })
    }

    /// A new post, or with `publish` false a draft. A date in the future is today: ferry does
    /// not schedule posts.
    func newPost(in slug: BlogSlug, by owner: IdentityID, content: [String: XMLRPCValue], publish: Bool?) async throws -> Post {
        let draft = try draft(from: content, keeping: nil)
        return try await database.createPost(
            in: slug, by: owner, draft: draft, publishedAt: Self.date(in: content) ?? Date(), slugSource: Self.chosenSlug(in: content),
            publish: publish != false)
    }

    /// Changes what `content` names and keeps the rest of the post; `publish` true publishes
    /// a draft (dated as `content` says, or now).
    func editPost(_ id: PostID, by owner: IdentityID, content: [String: XMLRPCValue], publish: Bool?) async throws -> Post {
        let (current, slug) = try await ownedPost(id, by: owner)
        return try await database.updatePost(
            id, in: slug, by: owner, draft: try draft(from: content, keeping: current), publish: publish, publishedAt: Self.date(in: content),
            slugSource: Self.chosenSlug(in: content))
    }

    /// The date a client gives a post, no later than now.
    private static func date(in content: [String: XMLRPCValue]) -> Date? {
        (content["date_created_gmt"]?.date ?? content["dateCreated"]?.date).map { min($0, Date()) }
    }

    private static func chosenSlug(in content: [String: XMLRPCValue]) -> String? {
        content["wp_slug"]?.string ?? content["mt_basename"]?.string
    }

    func post(_ id: PostID, by owner: IdentityID) async throws -> XMLRPCValue {
        let (post, slug) = try await ownedPost(id, by: owner)
        return value(of: post, in: slug, owner: owner)
    }

    func deletePost(_ id: PostID, by owner: IdentityID) async throws {
        guard let slug = try await database.blogSlug(ofPost: id) else { throw Self.noPost(id) }
        try await database.deletePost(id, in: slug, by: owner)
    }

    /// Post `id` and its blog, if the blog is `owner`'s (by the API's rule: someone else's
    /// private blog is not found, a visible one forbidden).
    func ownedPost(_ id: PostID, by owner: IdentityID) async throws -> (Post, BlogSlug) {
        guard let slug = try await database.blogSlug(ofPost: id) else { throw Self.noPost(id) }
        _ = try await database.ownedBlog(slug, by: owner)
        guard let post = try await database.reading(slug, by: owner, { try await $0.post(id) }) else { throw Self.noPost(id) }
        return (post, slug)
    }

    func recentPosts(in slug: BlogSlug, by owner: IdentityID, count: Int) async throws -> XMLRPCValue {
        let blog = try await database.ownedBlog(slug, by: owner)
        let posts = try await database.posts(in: blog.id, limit: max(1, min(count, Self.recentLimit)), kinds: [.post, .draft])
        return .array(posts.map { value(of: $0, in: slug, owner: owner) })
    }

    /// Ferry's categories are the blog's tags, by name.
    func categories(of slug: BlogSlug, by owner: IdentityID, movableType: Bool) async throws -> XMLRPCValue {
        let blog = try await database.ownedBlog(slug, by: owner)
        let tags = try await database.tags(of: blog.id, limit: Self.categoryLimit).sorted()
        return .array(
            tags.map { tag in
                movableType
                    ? .structure(["categoryId": .string(tag), "categoryName": .string(tag)])
                    : .structure([
                        "categoryId": .string(tag), "categoryName": .string(tag), "title": .string(tag), "description": .string(tag),
                        "htmlUrl": .string(site.url + SitePath.blogHome(slug)), "rssUrl": .string(site.url + SitePath.feed(slug)),
                    ])
            })
    }

    func newMediaObject(in slug: BlogSlug, by owner: IdentityID, file: [String: XMLRPCValue]) async throws -> XMLRPCValue {
        let blog = try await database.ownedBlog(slug, by: owner)
        guard case .base64(let bits) = file["bits"] else { throw FerryError.invalid("bits", "the file's bytes must come as base64 in `bits`") }
        let media = try await uploader.store(
            file: bits.url, size: bits.size, declaredType: file["type"]?.string ?? "", by: owner, into: blog, field: "type")
        let url = site.url + media.path
        return .structure(["url": .string(url), "file": .string(media.path), "type": .string(media.contentType)])
    }

    // MARK: Helpers

    /// The post as MetaWeblog clients read it: `permaLink` absolute, tags as categories.
    private func value(of post: Post, in slug: BlogSlug, owner: IdentityID) -> XMLRPCValue {
        let link = link(to: post, in: slug)
        return .structure([
            "postid": .string(String(post.id.rawValue)), "title": .string(post.title), "description": .string(post.content),
            "link": .string(link), "permaLink": .string(link), "categories": .array(post.tags.map(XMLRPCValue.string)),
            "mt_keywords": .string(post.tags.joined(separator: ", ")), "dateCreated": .dateTime(post.publishedAt),
            "date_created_gmt": .dateTime(post.publishedAt), "wp_slug": .string(post.slug.rawValue), "mt_basename": .string(post.slug.rawValue),
            "post_status": .string(Self.status(of: post)), "userid": .string(String(owner.rawValue)), "mt_allow_comments": .int(1),
        ])
    }

    /// Where a post is read; a draft, which nobody reads yet, where its owner edits it.
    func link(to post: Post, in slug: BlogSlug) -> String {
        site.url + (post.kind == .draft ? SitePath.editPost(slug, post.id) : SitePath.permalink(slug, post))
    }

    /// WordPress's name for the post's state.
    static func status(of post: Post) -> String {
        post.kind == .draft ? "draft" : "publish"
    }

    /// A post from a client's struct: `description` and `mt_text_more` are its HTML, sanitized;
    /// `categories` and `mt_keywords` its tags. What the struct leaves out stays as `current` has it.
    func draft(from content: [String: XMLRPCValue], keeping current: Post?) throws -> PostDraft {
        var html = content["description"]?.string ?? current?.content ?? ""
        if let more = content["mt_text_more"]?.string, !more.isEmpty { html += "\n" + more }
        var tags = current?.tags ?? []
        if content["categories"] != nil || content["mt_keywords"] != nil {
            let categories = content["categories"]?.array?.compactMap(\.string) ?? []
            let keywords = content["mt_keywords"]?.string?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
            tags = (categories + keywords).filter { !$0.isEmpty }
            tags = tags.enumerated().filter { index, tag in tags.firstIndex(of: tag) == index }.map(\.element)
        }
        return try PostController.draft(
            title: content["title"]?.string ?? current?.title ?? "", content: html, tags: tags, limits: limits, sanitizer: sanitizer)
    }

    func signIn(_ params: Parameters, user index: Int, client: String) async throws -> IdentityID {
        guard let handle = params.string(index), let password = params.string(index + 1) else {
            throw FerryError(.unauthenticated, "the call carries no handle and password")
        }
        do {
            guard let identity = try await authenticator.identity(handle: handle, password: password, client: client) else {
                throw FerryError(.unauthenticated, "the handle or the password is wrong")
            }
            return identity
        } catch let error as HTTPError where error.status == .tooManyRequests {
            throw FerryError(.tooMany, "too many failed sign-ins: wait a little and try again")
        }
    }

    private static func noPost(_ id: PostID) -> FerryError {
        FerryError(.notFound, "there is no post \(id)")
    }

    /// The call's parameters by position, as the methods' signatures place them.
    struct Parameters {
        var values: [XMLRPCValue]

        func string(_ index: Int) -> String? { index < values.count ? values[index].string : nil }
        func int(_ index: Int) -> Int? { index < values.count ? values[index].int : nil }
        func bool(_ index: Int) -> Bool? { index < values.count ? values[index].bool : nil }

        func structure(_ index: Int) throws(FerryError) -> [String: XMLRPCValue] {
            guard index < values.count, let members = values[index].structure else {
                throw FerryError.invalid("params", "parameter \(index + 1) must be a struct")
            }
            return members
        }

        func blog(_ index: Int) throws(FerryError) -> BlogSlug {
            try BlogSlug(validating: string(index) ?? "", field: "blogid")
        }

        func post(_ index: Int) throws(FerryError) -> PostID {
            guard let id = string(index).flatMap({ Int64($0) }) else { throw FerryError.invalid("postid", "must be the id of a post") }
            return PostID(id)
        }
    }
}
