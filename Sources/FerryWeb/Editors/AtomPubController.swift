import Crypto
import FerryCore
import FerryImport
import FerryRender
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// AtomPub (RFC 5023) for each blog, for the editors that speak it: a service document with a
/// collection of posts (drafts included: `app:draft`) and one of photos and videos. Members
/// are created with `201` and their absolute `Location`; each carries a strong `ETag`, and a
/// `PUT` or `DELETE` with an `If-Match` that no longer holds is refused with `412`, so two
/// editors never overwrite each other unseen. The owner signs in with HTTP Basic (or a bearer
/// token) on every request, rationed like every sign-in; the session cookie is never taken,
/// so no page elsewhere can write here in a reader's name. Publishing here is publishing: the
/// same store calls, checks and sanitizer as the API and XML-RPC.
struct AtomPubController {
    let api: BlogEditorAPI
    let directory: URL

    static let pageSize = 20

    var database: any Store { api.database }
    var site: SiteAddress { api.site }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SitePath.atomPubServicePattern), use: service)
        router.get(RouterPath(SitePath.atomPubEntriesPattern), use: entries)
        router.post(RouterPath(SitePath.atomPubEntriesPattern), use: create)
        router.get(RouterPath(SitePath.atomPubEntryPattern), use: entry)
        router.put(RouterPath(SitePath.atomPubEntryPattern), use: replace)
        router.delete(RouterPath(SitePath.atomPubEntryPattern), use: delete)
        router.get(RouterPath(SitePath.atomPubMediaPattern), use: mediaEntries)
        router.post(RouterPath(SitePath.atomPubMediaPattern), use: upload)
        router.get(RouterPath(SitePath.atomPubMediaEntryPattern), use: mediaEntry)
    }

    @Sendable func service(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, _) = try await ownedBlog(request, context)
        let document = AtomPubService(
            blogTitle: blog.title, entriesURL: site.url + SitePath.atomPubEntries(blog.slug), mediaURL: site.url + SitePath.atomPubMedia(blog.slug),
            mediaTypes: ["image/*", "video/*"])
        return Self.answer(.ok, document.render(), type: AtomPubService.contentType)
    }

    /// The posts and drafts, newest first, a page at a time (`?before={id}`, RFC 5023 §10.1).
    @Sendable func entries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, _) = try await ownedBlog(request, context)
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }.map(PostID.init)
        let posts = try await database.posts(in: blog.id, before: before, limit: Self.pageSize + 1, kinds: [.post, .draft])
        let shown = posts.prefix(Self.pageSize)
        let collection = site.url + SitePath.atomPubEntries(blog.slug)
        var links = [AtomLink(rel: "self", href: collection + (before.map { "?before=\($0.rawValue)" } ?? ""))]
        if posts.count > Self.pageSize, let last = shown.last { links.append(AtomLink(rel: "next", href: collection + "?before=\(last.id.rawValue)")) }
        let feed = AtomDocument(
            id: collection, title: blog.title, updated: shown.map(\.updatedAt).max() ?? blog.createdAt, language: blog.language.rawValue,
            base: site.url + "/", author: AtomPerson(name: blog.title), links: links, entries: shown.map { atomEntry($0, blog: blog.slug) })
        return Self.answer(.ok, feed.render(), type: AtomDocument.contentType)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner) = try await ownedBlog(request, context)
        let posted = try await postedEntry(request)
        let draft = try PostController.draft(
            title: posted.title, content: posted.html, tags: posted.categories, limits: api.limits, sanitizer: api.sanitizer)
        let created = try await database.createPost(
            in: blog.slug, by: owner, draft: draft, publishedAt: posted.published.map { min($0, Date()) } ?? Date(),
            slugSource: Self.slug(request), publish: !posted.isDraft)
        let post = try await storedPost(created.id, blog: blog, owner: owner)
        let location = site.url + SitePath.atomPubEntry(blog.slug, post.id)
        return member(post, blog: blog.slug, status: .created, headers: [.location: location, .contentLocation: location])
    }

    @Sendable func entry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner) = try await ownedBlog(request, context)
        let post = try await ownedPost(request, context, blog: blog, owner: owner)
        if let tags = request.headers[.ifNoneMatch], Self.matches(tags, Self.etag(of: post)) {
            return Response(status: .notModified, headers: [.eTag: Self.etag(of: post)])
        }
        return member(post, blog: blog.slug, status: .ok)
    }

    /// Replaces the post with the entry sent: an entry without `app:draft` publishes a draft;
    /// a published post sent back as a draft is refused (409), as everywhere.
    @Sendable func replace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner) = try await ownedBlog(request, context)
        let current = try await ownedPost(request, context, blog: blog, owner: owner)
        try Self.checkPrecondition(request, current)
        let posted = try await postedEntry(request)
        let draft = try PostController.draft(
            title: posted.title, content: posted.html, tags: posted.categories, limits: api.limits, sanitizer: api.sanitizer)
        _ = try await database.updatePost(
            current.id, in: blog.slug, by: owner, draft: draft, publish: !posted.isDraft, publishedAt: posted.published.map { min($0, Date()) })
        return member(try await storedPost(current.id, blog: blog, owner: owner), blog: blog.slug, status: .ok)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner) = try await ownedBlog(request, context)
        let post = try await ownedPost(request, context, blog: blog, owner: owner)
        try Self.checkPrecondition(request, post)
        try await database.deletePost(post.id, in: blog.slug, by: owner)
        return Response(status: .noContent)
    }

    /// The photos and videos the owner uploaded into the blog, newest first.
    @Sendable func mediaEntries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner) = try await ownedBlog(request, context)
        let uploads = try await database.uploads(into: blog.id, by: owner, limit: 200)
        let collection = site.url + SitePath.atomPubMedia(blog.slug)
        let feed = AtomDocument(
            id: collection, title: "Photos and videos of \(blog.title)", updated: uploads.first?.at ?? blog.createdAt,
            language: blog.language.rawValue, base: site.url + "/", author: AtomPerson(name: blog.title),
            links: [AtomLink(rel: "self", href: collection)], entries: uploads.map { mediaLinkEntry($0.media, at: $0.at, blog: blog.slug) })
        return Self.answer(.ok, feed.render(), type: AtomDocument.contentType)
    }

    /// A photo or video as the raw body with its `Content-Type`; answered with its media link
    /// entry, whose `content/@src` is where posts show it.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner) = try await ownedBlog(request, context)
        let media = try await api.uploader.store(request, by: owner, into: blog, field: "body")
        let location = site.url + SitePath.atomPubMediaEntry(blog.slug, hash: media.hash)
        let entry = mediaLinkEntry(media, at: Date(), blog: blog.slug)
        return Self.answer(
            .created, entry.document(base: site.url + "/"), type: AtomEntry.documentContentType,
            headers: [.location: location, .contentLocation: location, .eTag: "\"\(media.hash.prefix(32))\""])
    }

    @Sendable func mediaEntry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (blog, owner) = try await ownedBlog(request, context)
        let hash = try context.parameters.require("hash")
        guard hash.utf8.count == 64, let upload = try await database.uploads(into: blog.id, by: owner, hash: hash, limit: 1).first else {
            throw FerryError(.notFound, "there is no photo or video '\(hash.prefix(64))' in '\(blog.slug)'")
        }
        let entry = mediaLinkEntry(upload.media, at: upload.at, blog: blog.slug)
        return Self.answer(.ok, entry.document(base: site.url + "/"), type: AtomEntry.documentContentType, headers: [.eTag: "\"\(hash.prefix(32))\""])
    }

    // MARK: Helpers

    /// The blog at `{slug}`, if the one asking owns it (by the API's rule), and who that is.
    private func ownedBlog(_ request: Request, _ context: AppRequestContext) async throws -> (Blog, IdentityID) {
        let owner = try await api.authenticator.publisher(request, context)
        return (try await database.ownedBlog(try RouteParameters.slug(context), by: owner), owner)
    }

    private func ownedPost(_ request: Request, _ context: AppRequestContext, blog: Blog, owner: IdentityID) async throws -> Post {
        try await storedPost(PostID(try RouteParameters.id("post", context)), blog: blog, owner: owner)
    }

    /// The post or draft as stored (its dates as precise as the database keeps them, so that
    /// its ETag is the same however it is read).
    private func storedPost(_ id: PostID, blog: Blog, owner: IdentityID) async throws -> Post {
        guard let post = try await database.reading(blog.slug, by: owner, { try await $0.post(id) }), post.kind != .page else {
            throw FerryError(.notFound, "there is no post \(id) in '\(blog.slug)'")
        }
        return post
    }

    /// The entry in the body, written to disk as it arrives (refused past the size a post may
    /// have) and read as hostile input.
    private func postedEntry(_ request: Request) async throws -> PostedAtomEntry {
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/atom+xml" else {
            throw FerryError(.unsupportedType, "send an Atom entry as application/atom+xml;type=entry; this is '\((type ?? "").prefix(60))'")
        }
        let limit = api.limits.postBodyBytes
        let tooLarge = FerryError(.tooLarge, "an entry may have at most \(limit) bytes")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        let file = directory.appendingPathComponent(SymmetricKey(size: .bits128).withUnsafeBytes { $0.hexadecimal } + ".xml")
        defer { try? FileManager.default.removeItem(at: file) }
        let sink = try FileSink(file: file, limit: limit, tooLarge: tooLarge)
        for try await chunk in request.body { try sink.write(ArraySlice(chunk.readableBytesView)) }
        return try await NIOThreadPool.singleton.runIfActive { try PostedAtomEntry.read(path: file.path) }
    }

    private func atomEntry(_ post: Post, blog: BlogSlug) -> AtomEntry {
        var entry = AtomEntry(
            id: post.entryID, title: post.title, published: post.publishedAt, updated: post.updatedAt, url: api.link(to: post, in: blog),
            contentHTML: post.content, categories: post.tags, commentCount: post.commentCount)
        entry.publishing = AtomPublishing(
            editURL: site.url + SitePath.atomPubEntry(blog, post.id), edited: post.updatedAt, isDraft: post.kind == .draft)
        return entry
    }

    private func mediaLinkEntry(_ media: StoredMedia, at date: Date, blog: BlogSlug) -> AtomEntry {
        let url = site.url + media.path
        var entry = AtomEntry(
            id: "urn:sha256:\(media.hash)", title: String(media.path.dropFirst(SitePath.mediaPrefix.count)), published: date, updated: date,
            url: url, contentHTML: "", categories: [], commentCount: 0)
        entry.publishing = AtomPublishing(
            editURL: site.url + SitePath.atomPubMediaEntry(blog, hash: media.hash), edited: date,
            media: AtomMediaSource(type: media.contentType, url: url))
        return entry
    }

    private func member(_ post: Post, blog: BlogSlug, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.eTag] = Self.etag(of: post)
        return Self.answer(status, atomEntry(post, blog: blog).document(base: site.url + "/"), type: AtomEntry.documentContentType, headers: headers)
    }

    /// A strong validator of everything the member shows.
    static func etag(of post: Post) -> String {
        let state = [
            String(post.id.rawValue), post.kind.rawValue, post.title, post.content, post.tags.joined(separator: "\u{1F}"),
            String(post.updatedAt.timeIntervalSince1970), String(post.commentCount),
        ]
        return "\"" + Array(SHA256.hash(data: Data(state.joined(separator: "\u{1E}").utf8))).hexadecimal.prefix(32) + "\""
    }

    /// Refuses a change whose `If-Match` names another state of the member (RFC 9110 §13.1.1).
    private static func checkPrecondition(_ request: Request, _ post: Post) throws {
        guard let tags = request.headers[.ifMatch] else { return }
        guard matches(tags, etag(of: post)) else {
            throw HTTPError(.preconditionFailed, message: "the post changed since you read it (its ETag is \(etag(of: post))): read it again first")
        }
    }

    /// Whether a list of entity tags (or `*`) holds `etag`; weak tags never match strongly.
    private static func matches(_ tags: String, _ etag: String) -> Bool {
        tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains { $0 == "*" || $0 == etag }
    }

    /// The `Slug` header (RFC 5023 §9.7): percent-encoded UTF-8, a hint for the address.
    private static func slug(_ request: Request) -> String? {
        guard let name = HTTPField.Name("Slug"), let header = request.headers[name], header.utf8.count <= 512 else { return nil }
        return header.removingPercentEncoding ?? header
    }

    private static func answer(_ status: HTTPResponse.Status, _ document: String, type: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}
