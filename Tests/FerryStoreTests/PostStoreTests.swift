import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

@Suite struct PostStoreTests {
    func withBlog(_ body: (AppDatabase, IdentityID) async throws -> Void) async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
            _ = try await database.createBlog(
                slug: BlogSlug(trusted: "notes"), owner: alice, title: "Notes", language: LanguageTag(trusted: "en"), visibility: .public
            )
            try await body(database, alice)
        }
    }

    @Test func slugsAreNumberedPastEveryTakenVariantOfTheMonth() async throws {
        try await withBlog { database, alice in
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

    @Test func tagsWithQuotesBackslashesAndControlCharactersReadBackAsWritten() async throws {
        try await withBlog { database, alice in
            let tags = [#"say "hi""#, #"back\slash"#, "tab\there", "bell\u{7}", "naïve 日本"]
            let post = try await database.createPost(
                in: BlogSlug(trusted: "notes"), by: alice, draft: PostDraft(title: "Tags", content: "<p>x</p>", tags: tags)
            )
            let stored = try #require(try await database.post(post.id, in: post.blogID))
            #expect(stored.tags == tags)
            #expect(stored.publishedAt.timeIntervalSince1970.rounded(.down) == post.publishedAt.timeIntervalSince1970.rounded(.down))
        }
    }
}
