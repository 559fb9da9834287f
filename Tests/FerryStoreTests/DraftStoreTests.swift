import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// A draft is its owner's alone until it is published, and then it is news like a new post.
@Suite struct DraftStoreTests {
    let notes = BlogSlug(trusted: "notes")
    let december = Date(timeIntervalSince1970: 1_796_000_000)

    func draft(_ title: String) -> PostDraft { PostDraft(title: title, content: "<p>\(title)</p>", tags: []) }

    @Test(arguments: StoreBackend.available)
    func aDraftIsSeenByItsOwnerAloneAndAnnouncesNothing(_ backend: StoreBackend) async throws {
        try await PostStoreTests().withBlog(on: backend) { database, alice in
            _ = try await database.linkBlog(notes, by: alice)
            let bob = try await database.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "x").id
            let published = try await database.createPost(in: notes, by: alice, draft: draft("Out"))
            let hidden = try await database.createPost(in: notes, by: alice, draft: draft("Secret"), publish: false)
            #expect(hidden.kind == .draft)

            let blog = try #require(try await database.blog(slug: notes))
            #expect(try await database.posts(in: blog.id, limit: 10).map(\.id) == [published.id])
            #expect(Set(try await database.posts(in: blog.id, limit: 10, kinds: [.post, .draft]).map(\.id)) == [published.id, hidden.id])
            #expect(try await database.reading(notes, by: alice) { try await $0.post(hidden.id) }?.title == "Secret")
            #expect(try await database.reading(notes, by: bob) { try await $0.post(hidden.id) } == nil)
            #expect(try await database.reading(notes, by: nil) { try await $0.post(hidden.id) } == nil)
            #expect(try await database.activities(by: alice, limit: 10).filter { $0.post != nil }.map(\.post) == [published.id])
            #expect(try await database.sitemapEntries(of: .posts, part: 0).allSatisfy { !($0.path ?? "").contains("secret") })
            #expect(try await database.counts(of: blog.id).posts == 1)
            await #expect(throws: FerryError.self) {
                try await database.addComment(to: hidden.id, in: blog.id, by: .identity(bob), content: "first!")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func publishingADraftDatesItAndAnnouncesItAsANewPost(_ backend: StoreBackend) async throws {
        try await PostStoreTests().withBlog(on: backend) { database, alice in
            _ = try await database.linkBlog(notes, by: alice)
            let written = try await database.createPost(in: notes, by: alice, draft: draft("Working title"), publishedAt: december, publish: false)
            let renamed = try await database.updatePost(written.id, in: notes, by: alice, draft: draft("Hello"), at: december)
            #expect(renamed.kind == .draft)
            #expect(renamed.slug.rawValue == "hello", "a draft's address follows its title")
            #expect(try await database.activities(by: alice, limit: 10).allSatisfy { $0.post == nil })

            let taken = try await database.createPost(in: notes, by: alice, draft: draft("Hello"), publishedAt: december.addingTimeInterval(40 * 86_400))
            let later = december.addingTimeInterval(45 * 86_400)
            let post = try await database.updatePost(written.id, in: notes, by: alice, draft: draft("Hello"), at: later, publish: true)
            #expect(post.kind == .post)
            #expect(post.publishedAt.timeIntervalSince1970.rounded() == later.timeIntervalSince1970.rounded())
            #expect(post.month == taken.month && post.slug.rawValue == "hello-2")
            #expect(post.entryID == written.entryID)
            #expect(try await database.activities(by: alice, limit: 10).filter { $0.post != nil }.map(\.post) == [written.id, taken.id])
            #expect(try await database.reading(notes, by: nil) { try await $0.post(month: post.month, slug: post.slug) }?.id == written.id)

            await #expect(throws: FerryError.self) {
                try await database.updatePost(post.id, in: notes, by: alice, draft: draft("Hello"), publish: false)
            }
            #expect(try await database.reading(notes, by: nil) { try await $0.post(post.id) }?.kind == .post)
        }
    }

    /// A draft whose title's slug the month has already is numbered once, and keeps its number
    /// however often it is saved.
    @Test(arguments: StoreBackend.available)
    func aNumberedDraftKeepsItsNumberFromSaveToSave(_ backend: StoreBackend) async throws {
        try await PostStoreTests().withBlog(on: backend) { database, alice in
            _ = try await database.createPost(in: notes, by: alice, draft: draft("Hello"), publishedAt: december)
            let written = try await database.createPost(in: notes, by: alice, draft: draft("Hello"), publishedAt: december, publish: false)
            #expect(written.slug.rawValue == "hello-2")
            for _ in 0..<3 {
                let saved = try await database.updatePost(written.id, in: notes, by: alice, draft: draft("Hello"), at: december)
                #expect(saved.slug.rawValue == "hello-2")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func aSlugTheEditorNamedOutlivesTitleChanges(_ backend: StoreBackend) async throws {
        try await PostStoreTests().withBlog(on: backend) { database, alice in
            let written = try await database.createPost(
                in: notes, by: alice, draft: draft("Working title"), publishedAt: december, slugSource: "chosen-name", publish: false)
            #expect(written.slug.rawValue == "chosen-name")
            let edited = try await database.updatePost(written.id, in: notes, by: alice, draft: draft("Final title"), at: december)
            #expect(edited.slug.rawValue == "chosen-name")
            let renamed = try await database.updatePost(
                written.id, in: notes, by: alice, draft: draft("Final title"), at: december, publish: true, slugSource: "Better Name")
            #expect(renamed.slug.rawValue == "better-name")
            let fixed = try await database.updatePost(written.id, in: notes, by: alice, draft: draft("Other"), publish: true, slugSource: "moved")
            #expect(fixed.slug == renamed.slug && fixed.month == renamed.month, "a published post's address is fixed")
        }
    }
}
