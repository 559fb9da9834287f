import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Synchronization
import Testing

/// Every write the store makes tells its listeners which blogs changed, before it returns.
struct BlogChangesTests {
    @Test func eachWriteAnnouncesExactlyTheBlogsItChanged() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let heard = Mutex<[BlogID]>([])
            database.changes.listen { blog in heard.withLock { $0.append(blog) } }
            func announced(_ write: () async throws -> Void) async rethrows -> [BlogID] {
                heard.withLock { $0 = [] }
                try await write()
                return heard.withLock { $0 }
            }

            let ada = try await database.createIdentity(handle: Handle(trusted: "ada"), displayName: "Ada", passwordHash: "x").id
            let bob = try await database.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "x").id
            var blogs: [BlogID] = []
            for slug in ["one", "two"] {
                let created = try await announced {
                    blogs.append(
                        try await database.createBlog(
                            slug: BlogSlug(trusted: slug), owner: ada, title: slug, language: LanguageTag(trusted: "en"), visibility: .public
                        ).id)
                }
                #expect(created == [blogs.last])
            }
            let one = BlogSlug(trusted: "one")
            var post: Post?
            #expect(
                try await announced { post = try await database.createPost(in: one, by: ada, draft: PostDraft(title: "A", content: "<p>a</p>", tags: [])) } == [
                    blogs[0]
                ])
            let postID = try #require(post).id
            #expect(
                try await announced { _ = try await database.updatePost(postID, in: one, by: ada, draft: PostDraft(title: "B", content: "<p>b</p>", tags: [])) }
                    == [blogs[0]])
            var comment: FerryCore.Comment?
            #expect(
                try await announced { comment = try await database.addComment(to: postID, in: blogs[0], by: .identity(bob), content: "<p>hi</p>") } == [
                    blogs[0]
                ])
            #expect(try await announced { try await database.deleteComment(try #require(comment).id, of: postID, in: one, by: bob) } == [blogs[0]])
            #expect(try await announced { _ = try await database.updateBlog(one, by: ada, with: BlogUpdate(title: "One")) } == [blogs[0]])
            #expect(try await announced { _ = try await database.linkBlog(one, by: ada) } == [blogs[0]])
            #expect(try await announced { _ = try await database.unlinkBlog(one, by: ada) } == [blogs[0]])
            #expect(try await announced { try await database.deletePost(postID, in: one, by: ada) } == [blogs[0]])

            // The display name is in every feed of the owner; the rest of the profile is not.
            #expect(try await announced { _ = try await database.updateProfile(of: ada, with: ProfileUpdate(displayName: "Ada L.")) } == blogs)
            #expect(try await announced { _ = try await database.updateProfile(of: ada, with: ProfileUpdate(bio: .set("Maths"))) } == [])

            // A refused write changes nothing and says nothing.
            #expect(await announced { _ = try? await database.updateBlog(one, by: bob, with: BlogUpdate(title: "Mine")) } == [])
        }
    }

    @Test func aProfilesChangeIsAnnouncedAsTheIdentitysOnlyWhenItChanges() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let heard = Mutex<[IdentityID]>([])
            database.changes.listenToProfiles { identity in heard.withLock { $0.append(identity) } }
            let ada = try await database.createIdentity(handle: Handle(trusted: "ada"), displayName: "Ada", passwordHash: "x").id
            _ = try await database.updateProfile(of: ada, with: ProfileUpdate(bio: .set("Maths")))
            _ = try await database.updateProfile(of: ada, with: ProfileUpdate(bio: .set("Maths")))
            _ = try await database.updateProfile(of: ada, with: ProfileUpdate(displayName: "Ada L."))
            #expect(heard.withLock { $0 } == [ada, ada], "the same bio again changes nothing")
        }
    }
}
