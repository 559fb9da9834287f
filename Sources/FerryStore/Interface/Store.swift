import FerryCore
import Foundation

/// The store's interface, whole: what the web, import and stream code use, implemented by
/// `AppDatabase` (SQLite) and `PostgresStore` (PostgreSQL). Parts are added here as both
/// backends implement them.
public typealias Store = IdentityStore & SessionStore & SiteSettingStore & BlogStore & ChangeFollowing & SignInFailureStore
    & PostStore & ActivityStore & ReadingStore & CommentStore & FeedStore & ContactStore & StreamStore & AddressStore & UploadStore
    & MigrationStore & MediaStore & ImportStore & WebSubStore

// The forms without a date or an option, as `AppDatabase`'s own methods default them
// (a protocol's requirements cannot). On a concrete backend its own method is chosen.

extension IdentityStore {
    public func createIdentity(handle: Handle, displayName: String, passwordHash: String) async throws -> Identity {
        try await createIdentity(handle: handle, displayName: displayName, passwordHash: passwordHash, at: Date())
    }

    public func updateProfile(of id: IdentityID, with update: ProfileUpdate) async throws -> Identity {
        try await updateProfile(of: id, with: update, at: Date())
    }
}

extension SessionStore {
    public func openSession(for identity: IdentityID, token: SessionToken, expiresAt: Date) async throws {
        try await openSession(for: identity, token: token, expiresAt: expiresAt, at: Date())
    }

    public func identityID(signedInBy token: SessionToken) async throws -> IdentityID? {
        try await identityID(signedInBy: token, at: Date())
    }
}

extension BlogStore {
    public func createBlog(slug: BlogSlug, owner: IdentityID, title: String, language: LanguageTag, visibility: BlogVisibility) async throws -> Blog {
        try await createBlog(slug: slug, owner: owner, title: title, language: language, visibility: visibility, at: Date())
    }

    public func updateBlog(_ slug: BlogSlug, by editor: IdentityID, with update: BlogUpdate) async throws -> Blog {
        try await updateBlog(slug, by: editor, with: update, at: Date())
    }
}

extension PostStore {
    public func createPost(
        in slug: BlogSlug, by author: IdentityID, draft: PostDraft, entryID: String? = nil, publishedAt: Date = Date(), slugSource: String? = nil
    ) async throws -> Post {
        try await createPost(in: slug, by: author, draft: draft, entryID: entryID, publishedAt: publishedAt, slugSource: slugSource, publish: true, key: nil)
    }

    public func createPost(
        in slug: BlogSlug, by author: IdentityID, draft: PostDraft, publishedAt: Date = Date(), slugSource: String? = nil, publish: Bool,
        key: RequestKey? = nil
    ) async throws -> Post {
        try await createPost(in: slug, by: author, draft: draft, entryID: nil, publishedAt: publishedAt, slugSource: slugSource, publish: publish, key: key)
    }

    public func updatePost(
        _ id: PostID, in slug: BlogSlug, by editor: IdentityID, draft: PostDraft, at now: Date = Date(), publish: Bool? = nil,
        publishedAt: Date? = nil
    ) async throws -> Post {
        try await updatePost(id, in: slug, by: editor, draft: draft, at: now, publish: publish, publishedAt: publishedAt, slugSource: nil)
    }

    public func updatePost(
        _ id: PostID, in slug: BlogSlug, by editor: IdentityID, draft: PostDraft, at now: Date = Date(), publish: Bool?, slugSource: String?
    ) async throws -> Post {
        try await updatePost(id, in: slug, by: editor, draft: draft, at: now, publish: publish, publishedAt: nil, slugSource: slugSource)
    }

    public func updatePost(
        _ id: PostID, in slug: BlogSlug, by editor: IdentityID, draft: PostDraft, publish: Bool?, publishedAt: Date?, slugSource: String?
    ) async throws -> Post {
        try await updatePost(id, in: slug, by: editor, draft: draft, at: Date(), publish: publish, publishedAt: publishedAt, slugSource: slugSource)
    }

    public func posts(in blog: BlogID, before: PostID? = nil, limit: Int) async throws -> [Post] {
        try await posts(in: blog, before: before, limit: limit, kinds: [.post])
    }

    public func posts(in blog: BlogID, limit: Int, kinds: Set<PostKind>) async throws -> [Post] {
        try await posts(in: blog, before: nil, limit: limit, kinds: kinds)
    }
}

extension ActivityStore {
    public func linkBlog(_ slug: BlogSlug, by owner: IdentityID) async throws -> Blog {
        try await linkBlog(slug, by: owner, at: Date())
    }
}

extension CommentStore {
    public func addComment(to post: PostID, in blog: BlogID, by commenter: Commenter, content: String, key: RequestKey? = nil) async throws -> Comment {
        try await addComment(to: post, in: blog, by: commenter, content: content, at: Date(), key: key)
    }

    public func comments(of post: PostID, limit: Int) async throws -> [Comment] {
        try await comments(of: post, after: nil, limit: limit)
    }
}
