import FerryCore
import FerryTestSupport
import Foundation
import GRDB
import Testing

@testable import FerryStore

/// "This blog, if this reader may read it", answered once, and what is read with it.
struct BlogReadingTests {
    private func withPeople(_ body: (AppDatabase, _ ada: IdentityID, _ bob: IdentityID, _ eve: IdentityID) async throws -> Void) async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
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
            try await body(database, ids[0], ids[1], ids[2])
        }
    }

    @Test func aPrivateBlogIsReadOnlyByItsOwnerAndTheirContacts() async throws {
        try await withPeople { database, ada, bob, eve in
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

    @Test func aProfileListsOnlyTheLinkedBlogsItsViewerMayReadAndClaimsOnlyToItsOwner() async throws {
        try await withPeople { database, ada, bob, eve in
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

    @Test func everythingAPageShowsComesFromOneStateOfTheDatabase() async throws {
        try await withPeople { database, ada, _, _ in
            let slug = BlogSlug(trusted: "open")
            _ = try await database.createPost(in: slug, by: ada, draft: PostDraft(title: "First", content: "<p>1</p>", tags: []))
            let writer = database.writer
            let counts = try await database.reading(slug, by: nil) { blog in
                let before = try await blog.posts(before: nil, limit: 10).count
                // Another connection commits a post while the page is being read.
                try await writer.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO post (blogId, entryId, month, slug, title, content, tags, publishedAt, updatedAt, commentCount, kind)
                            SELECT blogId, entryId || '-2', month, slug || '-2', title, content, tags, publishedAt, updatedAt, 0, kind FROM post
                            """)
                }
                return (before, try await blog.posts(before: nil, limit: 10).count)
            }
            #expect(counts == (1, 1), "the page does not see half of a later state")
            #expect(try await database.posts(in: try #require(try await database.blog(slug: slug)).id, limit: 10).count == 2)
        }
    }

    @Test func deletingAnswersTheBlogItChanged() async throws {
        try await withPeople { database, ada, bob, _ in
            let slug = BlogSlug(trusted: "open")
            let post = try await database.createPost(in: slug, by: ada, draft: PostDraft(title: "First", content: "<p>1</p>", tags: []))
            let comment = try await database.addComment(to: post.id, in: post.blogID, by: .identity(bob), content: "<p>hi</p>")
            #expect(try await database.deleteComment(comment.id, of: post.id, in: slug, by: bob).id == post.blogID)
            #expect(try await database.deletePost(post.id, in: slug, by: ada).id == post.blogID)
        }
    }
}
