import FerryCore
import FerryTestSupport
import Foundation
import GRDB
import Testing

@testable import FerryStore

/// "This blog, if this reader may read it", answered once, and what is read with it.
struct BlogReadingTests {
    /// Ada (with a public, a hidden and a private blog), her contact Bob, and Eve, on `backend`;
    /// the last store of `nodes` is another node on the same database.
    private func withPeople(
        on backend: StoreBackend, nodes: Int = 1,
        _ body: (any Store, _ ada: IdentityID, _ bob: IdentityID, _ eve: IdentityID, _ other: any Store) async throws -> Void
    ) async throws {
        try await backend.withStores(nodes: nodes) { stores in
            let database = stores[0]
            var ids: [IdentityID] = []
            for handle in ["ada", "bob", "eve"] {
                ids.append(try await database.createIdentity(handle: Handle(trusted: handle), displayName: handle.capitalized, passwordHash: "x").id)
            }
            for (slug, visibility) in [("open", BlogVisibility.public), ("quiet", .hidden), ("inner", .private)] {
                _ = try await database.createBlog(
                    slug: BlogSlug(trusted: slug), owner: ids[0], title: slug, language: LanguageTag(trusted: "en"), visibility: visibility
                )
                _ = try await database.linkBlog(BlogSlug(trusted: slug), by: ids[0])
            }
            _ = try await database.invite(from: ids[0], to: Handle(trusted: "bob"))
            _ = try await database.acceptInvitation(of: ids[1], from: Handle(trusted: "ada"))
            try await body(database, ids[0], ids[1], ids[2], stores[nodes - 1])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aPrivateBlogIsReadOnlyByItsOwnerAndTheirContacts(_ backend: StoreBackend) async throws {
        try await withPeople(on: backend) { database, ada, bob, eve, _ in
            for reader in [nil, ada, bob, eve] {
                for slug in ["open", "quiet"] {
                    #expect(try await database.readableBlog(BlogSlug(trusted: slug), by: reader)?.slug.rawValue == slug)
                }
                let inner = try await database.readableBlog(BlogSlug(trusted: "inner"), by: reader)
                #expect((inner != nil) == (reader == ada || reader == bob), "\(String(describing: reader))")
            }
            let refused = await #expect(throws: FerryError.self) {
                try await database.reading(BlogSlug(trusted: "inner"), by: eve) { $0.blog }
            }
            #expect(refused == FerryError(.notFound, "there is no blog at 'inner'"), "exactly as a blog that does not exist")
            let missing = await #expect(throws: FerryError.self) {
                try await database.reading(BlogSlug(trusted: "nowhere"), by: eve) { $0.blog }
            }
            #expect(missing?.message == "there is no blog at 'nowhere'")
        }
    }

    @Test(arguments: StoreBackend.available)
    func aProfileListsOnlyTheLinkedBlogsItsViewerMayReadAndClaimsOnlyToItsOwner(_ backend: StoreBackend) async throws {
        try await withPeople(on: backend) { database, ada, bob, eve, _ in
            let ownView = try #require(try await database.profile(Handle(trusted: "ada"), viewedBy: ada))
            #expect(ownView.isOwnProfile)
            #expect(ownView.linkedBlogs.map(\.slug.rawValue) == ["inner", "open", "quiet"])
            #expect(try await database.profile(Handle(trusted: "ada"), viewedBy: bob)?.linkedBlogs.count == 3)
            let stranger = try #require(try await database.profile(Handle(trusted: "ada"), viewedBy: eve))
            #expect(!stranger.isOwnProfile)
            #expect(stranger.linkedBlogs.map(\.slug.rawValue) == ["open", "quiet"])
            #expect(try await database.profile(Handle(trusted: "nobody"), viewedBy: eve) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func everythingAPageShowsComesFromOneStateOfTheDatabase(_ backend: StoreBackend) async throws {
        try await withPeople(on: backend, nodes: 2) { database, ada, _, _, other in
            let slug = BlogSlug(trusted: "open")
            _ = try await database.createPost(in: slug, by: ada, draft: PostDraft(title: "First", content: "<p>1</p>", tags: []))
            let counts = try await database.reading(slug, by: nil) { blog in
                let before = try await blog.posts(before: nil, limit: 10).count
                // Another node commits a post while the page is being read.
                _ = try await other.createPost(in: slug, by: ada, draft: PostDraft(title: "Second", content: "<p>2</p>", tags: []))
                return (before, try await blog.posts(before: nil, limit: 10).count)
            }
            #expect(counts == (1, 1), "the page does not see half of a later state")
            #expect(try await database.posts(in: try #require(try await database.blog(slug: slug)).id, limit: 10).count == 2)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingAnswersTheBlogItChanged(_ backend: StoreBackend) async throws {
        try await withPeople(on: backend) { database, ada, bob, _, _ in
            let slug = BlogSlug(trusted: "open")
            let post = try await database.createPost(in: slug, by: ada, draft: PostDraft(title: "First", content: "<p>1</p>", tags: []))
            let comment = try await database.addComment(to: post.id, in: post.blogID, by: .identity(bob), content: "<p>hi</p>")
            #expect(try await database.deleteComment(comment.id, of: post.id, in: slug, by: bob).id == post.blogID)
            #expect(try await database.deletePost(post.id, in: slug, by: ada).id == post.blogID)
        }
    }
}
