import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// The owner's offline copy is written from the store's interface alone, alike on every backend.
@Suite struct ExportStoreTests {
    @Test(arguments: StoreBackend.available)
    func theOfflineCopyHoldsPostsCommentsAndDrafts(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h").id
            let bob = try await store.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "h").id
            let blog = try await store.createBlog(
                slug: BlogSlug(trusted: "notes"), owner: alice, title: "Notes & more", language: LanguageTag(trusted: "en"), visibility: .public)
            let post = try await store.createPost(
                in: blog.slug, by: alice, draft: PostDraft(title: "Lisbon", content: "<p>Trams</p>", tags: ["travel", "sea"]),
                publishedAt: Date(timeIntervalSince1970: 1_780_000_000))
            _ = try await store.addComment(to: post.id, in: blog.id, by: .identity(bob), content: "<p>Nice</p>")
            _ = try await store.createPost(in: blog.slug, by: alice, draft: PostDraft(title: "Unfinished", content: "<p>…</p>", tags: []), publish: false)

            var xml = ""
            try await WXRExport(database: store, siteURL: "https://ferry.example").write(blog) { xml += $0 }
            #expect(xml.contains("<title>Notes &amp; more</title>"))
            #expect(xml.contains("<title>Lisbon</title>") && xml.contains("<guid isPermaLink=\"false\">\(post.entryID)</guid>"))
            #expect(xml.contains("<wp:comment_author><![CDATA[Bob]]></wp:comment_author>"))
            #expect(xml.contains("<title>Unfinished</title>") && xml.contains("<wp:status>draft</wp:status>"))
            #expect(xml.hasSuffix("</rss>\n"))
        }
    }
}
