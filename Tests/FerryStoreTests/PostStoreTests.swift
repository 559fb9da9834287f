import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// On every backend (`StoreBackend`).
@Suite struct PostStoreTests {
    func withBlog(on backend: StoreBackend, _ body: (any Store, IdentityID) async throws -> Void) async throws {
        try await backend.withStore { database in
            let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
            _ = try await database.createBlog(
                slug: BlogSlug(trusted: "notes"), owner: alice, title: "Notes", language: LanguageTag(trusted: "en"), visibility: .public
            )
            try await body(database, alice)
        }
    }

    @Test(arguments: StoreBackend.available)
    func slugsAreNumberedPastEveryTakenVariantOfTheMonth(_ backend: StoreBackend) async throws {
        try await withBlog(on: backend) { database, alice in
            let day = Date(timeIntervalSince1970: 1_700_000_000)
            var slugs: [String] = []
            for title in ["Hello", "Hello", "Hello 2", "Hello", "Hello-world", "Hello"] {
                let post = try await database.createPost(
                    in: BlogSlug(trusted: "notes"), by: alice, draft: PostDraft(title: title, content: "<p>x</p>", tags: []), publishedAt: day
                )
                slugs.append(post.slug.rawValue)
            }
            #expect(slugs == ["hello", "hello-2", "hello-2-2", "hello-3", "hello-world", "hello-4"])
            let nextMonth = try await database.createPost(
                in: BlogSlug(trusted: "notes"), by: alice, draft: PostDraft(title: "Hello", content: "<p>x</p>", tags: []),
                publishedAt: day.addingTimeInterval(40 * 86_400)
            )
            #expect(nextMonth.slug.rawValue == "hello", "slugs are unique within a month")
        }
    }

    /// Editors offer the blog's tags as its categories: all of them, drafts' too, most used first.
    @Test(arguments: StoreBackend.available)
    func aBlogsTagsAreEveryTagItsPostsAndDraftsUse(_ backend: StoreBackend) async throws {
        try await withBlog(on: backend) { database, alice in
            let notes = BlogSlug(trusted: "notes")
            for (tags, publish) in [(["sea", "sun"], true), (["sea"], true), (["plan"], false), ([], true)] {
                _ = try await database.createPost(
                    in: notes, by: alice, draft: PostDraft(title: "T", content: "<p>x</p>", tags: tags), publish: publish)
            }
            let blog = try #require(try await database.blog(slug: notes))
            #expect(try await database.tags(of: blog.id, limit: 10) == ["sea", "plan", "sun"])
            #expect(try await database.tags(of: blog.id, limit: 1) == ["sea"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func tagsWithQuotesBackslashesAndControlCharactersReadBackAsWritten(_ backend: StoreBackend) async throws {
        try await withBlog(on: backend) { database, alice in
            let tags = [#"say "hi""#, #"back\slash"#, "tab\there", "bell\u{7}", "naïve 日本"]
            let post = try await database.createPost(
                in: BlogSlug(trusted: "notes"), by: alice, draft: PostDraft(title: "Tags", content: "<p>x</p>", tags: tags)
            )
            let stored = try #require(try await database.reading(BlogSlug(trusted: "notes"), by: alice) { try await $0.post(post.id) })
            #expect(stored.tags == tags)
            #expect(stored.publishedAt.timeIntervalSince1970.rounded(.down) == post.publishedAt.timeIntervalSince1970.rounded(.down))
        }
    }
}

@Suite struct ActivityStoreTests {
    @Test(arguments: StoreBackend.available)
    func onlyLinkedBlogsRecordActivitiesAndDeletingAPostRemovesItsOwn(_ backend: StoreBackend) async throws {
        try await PostStoreTests().withBlog(on: backend) { database, alice in
            let notes = BlogSlug(trusted: "notes")
            let draft = PostDraft(title: "Hello", content: "<p>x</p>", tags: [])
            _ = try await database.createPost(in: notes, by: alice, draft: draft)
            #expect(try await database.activities(by: alice, limit: 10).isEmpty, "an unlinked blog shares nothing")

            let blog = try await database.linkBlog(notes, by: alice)
            _ = try await database.linkBlog(notes, by: alice)
            let post = try await database.createPost(in: notes, by: alice, draft: draft)
            let recorded = try await database.activities(by: alice, limit: 10)
            #expect(recorded.map(\.verb) == [.post, .link])
            #expect(recorded.first?.post == post.id)
            #expect(recorded.allSatisfy { $0.blog == blog.id })

            try await database.deletePost(post.id, in: notes, by: alice)
            #expect(try await database.activities(by: alice, limit: 10).map(\.verb) == [.link])

            _ = try await database.unlinkBlog(notes, by: alice)
            _ = try await database.createPost(in: notes, by: alice, draft: draft)
            #expect(try await database.activities(by: alice, limit: 10).map(\.verb) == [.link], "unlinking stops new ones")
        }
    }

    @Test(arguments: StoreBackend.available)
    func substantialEditsAreOneUpdatePerBurst(_ backend: StoreBackend) async throws {
        try await PostStoreTests().withBlog(on: backend) { database, alice in
            let notes = BlogSlug(trusted: "notes")
            _ = try await database.linkBlog(notes, by: alice)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let text = "<p>" + String(repeating: "The tram climbs the hill to the castle. ", count: 5) + "</p>"
            let post = try await database.createPost(in: notes, by: alice, draft: PostDraft(title: "Lisbon", content: text, tags: []), publishedAt: start)
            func edit(_ title: String, _ content: String, minutes: Double) async throws {
                _ = try await database.updatePost(
                    post.id, in: notes, by: alice, draft: PostDraft(title: title, content: content, tags: ["new tag"]),
                    at: start.addingTimeInterval(minutes * 60)
                )
            }
            func verbs() async throws -> [ActivityVerb] { try await database.activities(by: alice, limit: 10).map(\.verb) }
            let base = try await verbs()

            try await edit("Lisbon", text.replacingOccurrences(of: ". </p>", with: "! </p>"), minutes: 30)
            try await edit("Lisbon", text.replacingOccurrences(of: "<p>", with: "<p><em>").replacingOccurrences(of: "</p>", with: "</em></p>"), minutes: 31)
            #expect(try await verbs() == base, "a typo, markup and tags alone are not news")

            try await edit("Lisbon in May", text, minutes: 40)
            #expect(try await verbs() == [.update] + base)
            try await edit("Lisbon in June", text + "<p>A whole new paragraph about the river.</p>", minutes: 42)
            try await edit("Lisbon in July", text + #"<p><img src="/media/x.jpg"></p>"#, minutes: 44)
            #expect(try await verbs() == [.update] + base, "edits within five minutes of the last update are the same burst")
            try await edit("Lisbon, finally", text, minutes: 50)
            #expect(try await verbs() == [.update, .update] + base)
        }
    }
}
