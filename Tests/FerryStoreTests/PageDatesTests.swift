import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// A sitemap's `lastmod` is true to its page: each kind of change moves the dates of the pages
/// that show it (the ones `PageCacheTests` sees change) and of no other, on both backends.
@Suite struct PageDatesTests {
    static let notes = BlogSlug(trusted: "notes")
    static let home = "/notes/"
    static let about = Permalink.pagePath(blog: notes, slug: PostSlug(trusted: "about"))

    /// Every listed page's date, by path (a blog home's is `/{slug}/`).
    static func dates(_ database: any Store) async throws -> [String: Date] {
        let entries = try await database.sitemapEntries(of: .blogs, part: 0) + database.sitemapEntries(of: .posts, part: 0)
        return Dictionary(entries.map { ($0.path ?? "/\($0.blog)/", $0.lastModified) }, uniquingKeysWith: max)
    }

    /// What `change` answered, the pages whose date it moved (forward) with those it added, and
    /// those it removed.
    static func datesChanged<Value>(
        in database: any Store, by change: () async throws -> Value
    ) async throws -> (value: Value, moved: Set<String>, gone: Set<String>) {
        let before = try await dates(database)
        try await Task.sleep(for: .milliseconds(5))  // SQLite keeps milliseconds
        let value = try await change()
        let after = try await dates(database)
        var moved = Set<String>()
        for (page, date) in after where before[page] != date {
            moved.insert(page)
            if let earlier = before[page] { #expect(date > earlier, "\(page) moved back") }
        }
        return (value, moved, Set(before.keys).subtracting(after.keys))
    }

    static func moved<Value>(in database: any Store, by change: () async throws -> Value) async throws -> Set<String> {
        try await datesChanged(in: database, by: change).moved
    }

    static func page(_ post: Post) -> String { Permalink.path(blog: notes, month: post.month, slug: post.slug) }

    static func draft(_ title: String, _ content: String = "x") -> PostDraft { PostDraft(title: title, content: "<p>\(content)</p>", tags: []) }

    @Test(arguments: StoreBackend.available)
    func eachChangeMovesTheDatesOfThePagesThatShowIt(_ backend: StoreBackend) async throws {
        try await PostStoreTests().withBlog(on: backend) { database, alice in
            let posts = try await Self.blogWithPages(in: database, ownedBy: alice)
            try await Self.postAndCommentChanges(in: database, ownedBy: alice, posts: posts)
            try await Self.changesEveryPageShows(in: database, ownedBy: alice, posts: posts)
            try await Self.removals(in: database, ownedBy: alice, posts: posts)
        }
    }

    /// Alice's linked blog `notes` with three posts, a draft and the page `about`; Carol's `other`.
    static func blogWithPages(in database: any Store, ownedBy alice: IdentityID) async throws -> [Post] {
        let carol = try await database.createIdentity(handle: Handle(trusted: "carol"), displayName: "Carol", passwordHash: "x").id
        _ = try await database.createBlog(
            slug: BlogSlug(trusted: "other"), owner: carol, title: "Other", language: LanguageTag(trusted: "en"), visibility: .public)
        _ = try await database.linkBlog(notes, by: alice)
        var posts: [Post] = []
        for title in ["One", "Two"] { posts.append(try await database.createPost(in: notes, by: alice, draft: draft(title))) }
        #expect(try await moved(in: database) {} == [])
        let three = try await datesChanged(in: database) { try await database.createPost(in: notes, by: alice, draft: draft("Three")) }
        #expect(three.moved == [home, page(three.value)], "a new post is on the home")
        posts.append(three.value)
        #expect(try await moved(in: database) { try await database.createPost(in: notes, by: alice, draft: draft("Later"), publish: false) } == [])
        let pageAdded = try await moved(in: database) {
            try database.importIntoBlog(notes, owner: alice, createWith: nil) { batch in
                try batch.insertPost(draft("About"), entryID: "about", publishedAt: Date(), slugSource: "about", commentCount: 0, kind: .page)
            }
        }
        #expect(pageAdded == Set(posts.map(page) + [home, about]), "every page links the blog's pages")
        return posts
    }

    static func postAndCommentChanges(in database: any Store, ownedBy alice: IdentityID, posts: [Post]) async throws {
        let (one, two) = (page(posts[0]), page(posts[1]))
        let blog = posts[0].blogID
        #expect(
            try await moved(in: database) { try await database.updatePost(posts[0].id, in: notes, by: alice, draft: draft("One", "edited")) } == [home, one])
        let bob = try await database.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "x").id
        let comment = try await datesChanged(in: database) {
            try await database.addComment(to: posts[1].id, in: blog, by: .identity(bob), content: "<p>Nice</p>")
        }
        #expect(comment.moved == [home, two], "the home counts the comments of the posts it shows")
        #expect(
            try await moved(in: database) { try await database.updateProfile(of: bob, with: ProfileUpdate(displayName: "Bob B.")) } == [home, two],
            "a commenter's name is on the post, and the home follows its newest posts' comments")
        #expect(try await moved(in: database) { try await database.deleteComment(comment.value.id, of: posts[1].id, in: notes, by: alice) } == [home, two])
        let importedComment = try await moved(in: database) {
            try database.importIntoBlog(notes, owner: alice, createWith: nil) { batch in
                _ = try batch.insertComment(on: posts[0].id, sourceID: "c1", parent: nil, authorName: "Ann", authorURL: nil, content: "<p>Old</p>", at: Date())
                try batch.countImportedComments(1, on: posts[0].id)
            }
        }
        #expect(importedComment == [home, one], "an import that adds a comment to a post moves it")
    }

    static func changesEveryPageShows(in database: any Store, ownedBy alice: IdentityID, posts: [Post]) async throws {
        let everyPage = Set(posts.map(page) + [home, about])
        #expect(try await moved(in: database) { try await database.updateProfile(of: alice, with: ProfileUpdate(bio: .set("Maths"))) } == [])
        #expect(try await moved(in: database) { try await database.updateProfile(of: alice, with: ProfileUpdate(displayName: "Alice L.")) } == everyPage)
        let photo = ProfileUpdate(photoURL: .set("https://photos.example/a.jpg"))
        #expect(try await moved(in: database) { try await database.updateProfile(of: alice, with: photo) } == everyPage)
        #expect(try await moved(in: database) { try await database.unlinkBlog(notes, by: alice) } == everyPage, "a linked owner links their profile")
        #expect(try await moved(in: database) { try await database.updateBlog(notes, by: alice, with: BlogUpdate(title: "Renamed")) } == everyPage)
        let carol = try #require(try await database.blog(slug: BlogSlug(trusted: "other"))).ownerID
        let elsewhere = try await moved(in: database) {
            try await database.createPost(in: BlogSlug(trusted: "other"), by: carol, draft: draft("Elsewhere"))
        }
        #expect(!elsewhere.isEmpty && elsewhere.allSatisfy { $0.hasPrefix("/other/") }, "another blog's post moves that blog alone")
    }

    static func removals(in database: any Store, ownedBy alice: IdentityID, posts: [Post]) async throws {
        let page = try #require(try await database.pages(in: posts[0].blogID).first)
        let withoutAbout = try await datesChanged(in: database) { try await database.deletePost(page.id, in: notes, by: alice) }
        #expect(withoutAbout.moved == Set(posts.map(Self.page) + [home]))
        #expect(withoutAbout.gone == [about])
        let withoutOne = try await datesChanged(in: database) { try await database.deletePost(posts[0].id, in: notes, by: alice) }
        #expect(withoutOne.moved == [home], "the home lists one post fewer")
        #expect(withoutOne.gone == [Self.page(posts[0])])
    }
}
