import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing

@Suite struct BlogImporterTests {
    let wxr = fixtures.appendingPathComponent("wordpress-theme-unit-test.wxr.xml").path

    func importFixture(_ database: any Store, owner: IdentityID, new: Bool) throws -> ImportReport {
        return try database.importIntoBlog(
            BlogSlug(trusted: "themes"), owner: owner,
            createWith: new ? (title: "Themes", language: LanguageTag(trusted: "en")) : nil
        ) { batch in
            try BlogImporter().run(path: wxr, into: batch)
        }
    }

    @Test(arguments: StoreBackend.available) func importsTheWordPressTestDataOnceAndOnlyOnce(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let profile = try await database.identity(alice)
            let contacts = try await database.contacts(of: alice, limit: 200)

            let report = try importFixture(database, owner: alice, new: true)
            #expect(report.posts > 20)
            #expect(report.pages > 0)
            #expect(report.comments > 20)
            #expect(report.leftBehind["draft"] == 1)
            #expect(report.leftBehind["nav menu item"] == 70)
            #expect(report.redirects > report.posts)
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "themes")))
            let pages = try await database.pages(in: blog.id)
            let posts = try await database.posts(in: blog.id, limit: 200) + pages
            #expect(posts.count == report.posts + report.pages)
            #expect(pages.count == report.pages && pages.allSatisfy { $0.kind == .page })
            #expect(posts.allSatisfy { !$0.content.lowercased().contains("<script") })
            let fontSizes = try #require(posts.first { $0.title == "WP 6.1 Font size scale" })
            #expect(fontSizes.entryID == "https://wpthemetestdata.wordpress.com/wp-6-1-font-size-scale/")
            #expect(fontSizes.publishedAt == (try? Date("2023-01-16T07:08:31Z", strategy: .iso8601)))
            #expect(fontSizes.month.key == "2023-01")

            // Comments moved with their posts, each post counting exactly its own.
            let commented = try #require(posts.max { $0.commentCount < $1.commentCount })
            #expect(commented.commentCount > 1)
            var counted = 0
            for post in posts {
                let comments = try await database.comments(of: post.id, limit: 1_000).count
                #expect(post.commentCount == comments, "\(post.title)")
                counted += comments
            }
            #expect(counted == report.comments)

            // The same export again adds nothing.
            let again = try importFixture(database, owner: alice, new: false)
            #expect(again.posts == 0 && again.pages == 0 && again.comments == 0 && again.redirects == 0)
            #expect(again.alreadyPresent == report.posts + report.pages + report.comments)
            #expect(
                try await database.posts(in: blog.id, limit: 200).map(\.commentCount) + database.pages(in: blog.id).map(\.commentCount)
                    == posts.map(\.commentCount))

            // The identity's profile, photo reference and contacts are untouched.
            #expect(try await database.identity(alice) == profile)
            #expect(try await database.contacts(of: alice, limit: 200) == contacts)
        }
    }

    /// A new post is inserted with the count of the comments that follow it: repeated comment
    /// ids and comments with nothing left after sanitizing are not counted, as they are not kept.
    @Test(arguments: StoreBackend.available) func aNewPostCountsExactlyTheCommentsKept(backend: StoreBackend) async throws {
        func comment(_ id: Int, _ content: String) -> String {
            "<wp:comment><wp:comment_id>\(id)</wp:comment_id><wp:comment_content><![CDATA[\(content)]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>"
        }
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><link>https://old.example</link>
            <item><title>Talked about</title><link>https://old.example/talked/</link><wp:post_id>1</wp:post_id>
            \(comment(1, "<script>gone</script>"))\(comment(1, "kept, the id's first words"))\(comment(2, "two"))\(comment(2, "two again"))\(comment(3, " "))
            </item></channel></rss>
            """
        try await withStore(on: backend) { database, alice in
            try withTemporaryFile(Data(xml.utf8)) { path throws in
                let report = try database.importIntoBlog(
                    BlogSlug(trusted: "talk"), owner: alice, createWith: (title: "Talk", language: LanguageTag(trusted: "en"))
                ) { batch in
                    try BlogImporter().run(path: path, into: batch)
                }
                #expect(report.comments == 2)
                #expect(report.alreadyPresent == 1)
                #expect(report.leftBehind["empty comment"] == 2)
            }
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "talk")))
            let post = try #require(try await database.posts(in: blog.id, limit: 10).first)
            #expect(post.commentCount == 2)
            #expect(try await database.comments(of: post.id, limit: 1_000).map(\.content) == ["kept, the id's first words", "two"])
        }
    }

    /// A title, tag and author name of 9 MB are cut to their limits, not refused and not stored
    /// whole; more than 10 MB of text in one element is refused with a clear reason (libxml2's
    /// limit, kept), and nothing is imported.
    @Test(arguments: StoreBackend.available) func hugeTitlesTagsAndNamesAreCutAndHugerTextsRefused(backend: StoreBackend) async throws {
        let tooHuge = String(repeating: "word ", count: 2 << 20)
        try await withStore(on: backend) { database, alice in
            try withTemporaryFile(Data("<rss><channel><item><title>\(tooHuge)</title></item></channel></rss>".utf8)) { path throws in
                #expect {
                    try database.importIntoBlog(BlogSlug(trusted: "huger"), owner: alice, createWith: (title: "Huger", language: LanguageTag(trusted: "en"))) {
                        batch in
                        try BlogImporter().run(path: path, into: batch)
                    }
                } throws: { error in
                    (error as? FerryError)?.message == "the export holds a text of more than 10 MB in one element (a post, title or comment), which is not read"
                }
            }
            #expect(try await database.blog(slug: BlogSlug(trusted: "huger")) == nil)
        }
        let huge = String(repeating: "word ", count: 9 << 20 / 5)
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><link>https://old.example</link>
            <item><title>\(huge)</title><link>https://old.example/huge/</link><category>\(huge)</category>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>\(huge)</wp:comment_author><wp:comment_content>hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
            </item></channel></rss>
            """
        try await withStore(on: backend) { database, alice in
            try withTemporaryFile(Data(xml.utf8)) { path throws in
                let report = try database.importIntoBlog(
                    BlogSlug(trusted: "huge"), owner: alice, createWith: (title: "Huge", language: LanguageTag(trusted: "en"))
                ) { batch in
                    try BlogImporter().run(path: path, into: batch)
                }
                #expect(report.posts == 1 && report.comments == 1)
            }
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "huge")))
            let post = try #require(try await database.posts(in: blog.id, limit: 10).first)
            #expect((Post.titleLimit - 5)...Post.titleLimit ~= post.title.count)
            #expect(post.slug.rawValue.utf8.count <= 100)
            #expect(post.tags.allSatisfy { $0.utf8.count <= 200 })
            #expect(try await database.comments(of: post.id, limit: 1_000).allSatisfy { $0.author.displayName.utf8.count <= 200 })
        }
    }

    /// A post or comment larger than a post written here may be (1 MB of HTML once sanitized)
    /// stays behind, counted by kind; the rest moves.
    @Test(arguments: StoreBackend.available) func postsAndCommentsOverTheSizeLimitStayBehind(backend: StoreBackend) async throws {
        let big = String(repeating: "<p>word word word</p>", count: (1 << 20) / 20)
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title>T</title><link>https://old.example</link>
            <item><title>Big</title><guid>big</guid><content:encoded><![CDATA[\(big)]]></content:encoded><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
            <item><title>Small</title><guid>small</guid><content:encoded><![CDATA[<p>small</p>]]></content:encoded><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>A</wp:comment_author><wp:comment_content><![CDATA[\(big)]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
            <wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>B</wp:comment_author><wp:comment_content>fine</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
            </item></channel></rss>
            """
        try await withStore(on: backend) { database, alice in
            let report = try importExport(xml, into: "sized", owner: alice, database: database)
            #expect(report.posts == 1 && report.comments == 1)
            #expect(report.leftBehind["post too large"] == 1)
            #expect(report.leftBehind["comment too large"] == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func aFailedImportLeavesTheBlogExactlyAsItWas(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            _ = try await database.createBlog(
                slug: BlogSlug(trusted: "themes"), owner: alice, title: "Themes", language: LanguageTag(trusted: "en"), visibility: .public)
            _ = try await database.createPost(in: BlogSlug(trusted: "themes"), by: alice, draft: PostDraft(title: "Mine", content: "<p>x</p>", tags: []))
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "themes")))
            let before = try await database.posts(in: blog.id, limit: 200)

            // A truncated copy of the real export: posts are read and written, then the XML ends.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: wxr))
            try withTemporaryFile(bytes.prefix(bytes.count * 2 / 3)) { path throws in
                let error = #expect(throws: FerryError.self) {
                    try database.importIntoBlog(BlogSlug(trusted: "themes"), owner: alice, createWith: nil) { batch in
                        try BlogImporter(claims: ClaimPolicy(trustEveryImporter: true)).run(path: path, into: batch)
                    }
                }
                #expect(error?.code == .unreadableExport)
            }
            #expect(try await database.posts(in: blog.id, limit: 200) == before)
            #expect(try await database.redirect(from: OldAddress(host: "wpthemetestdata.wordpress.com", path: "")) == nil)
            #expect(try await database.claims(of: alice).isEmpty, "nor is the old blog claimed")
        }
    }

    @Test(arguments: StoreBackend.available) func aMergeIntoALinkedBlogIsOneActivityNotOnePerPost(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let themes = BlogSlug(trusted: "themes")
            _ = try await database.createBlog(slug: themes, owner: alice, title: "Themes", language: LanguageTag(trusted: "en"), visibility: .public)
            _ = try await database.linkBlog(themes, by: alice)
            let report = try importFixture(database, owner: alice, new: false)
            let activities = try await database.activities(by: alice, limit: 100)
            #expect(activities.map(\.verb) == [.migrate, .link])
            #expect(activities.first?.summary == report.movedSummary)
            #expect(report.movedSummary.hasPrefix("moved 56 posts, 21 pages, 30 comments"))

            _ = try importFixture(database, owner: alice, new: false)
            #expect(try await database.activities(by: alice, limit: 100).count == 2, "importing again moves nothing and says nothing")
        }
    }

    /// An export of one post with `count` comments, each replying to the one `replyDistance`
    /// before it (the first ones to none).
    static func longThread(count: Int, replyDistance: Int) -> String {
        let comments = (1...count).map { number in
            """
            <wp:comment><wp:comment_id>\(number)</wp:comment_id><wp:comment_author>Reader \(number)</wp:comment_author>
            <wp:comment_content>Comment \(number)</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
            <wp:comment_parent>\(number > replyDistance ? number - replyDistance : 0)</wp:comment_parent></wp:comment>
            """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><link>https://old.example</link>
            <item><title>Talk</title><link>https://old.example/talk/</link><wp:post_date_gmt>2010-01-01 00:00:00</wp:post_date_gmt>
            \(comments.joined())</item></channel></rss>
            """
    }

    /// Imported comments are written many to a statement with ids given before they are written:
    /// they must be the ids the table would give (never a deleted comment's), and every reply
    /// must find its parent, whether written in an earlier statement or still waiting.
    @Test(arguments: StoreBackend.available) func importedCommentsTakeFreshIdsAndKeepTheirThreads(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let mine = BlogSlug(trusted: "mine")
            let blog = try await database.createBlog(slug: mine, owner: alice, title: "Mine", language: LanguageTag(trusted: "en"), visibility: .public)
            let post = try await database.createPost(in: mine, by: alice, draft: PostDraft(title: "Mine", content: "<p>x</p>", tags: []))
            _ = try await database.addComment(to: post.id, in: blog.id, by: .identity(alice), content: "kept")
            let deleted = try await database.addComment(to: post.id, in: blog.id, by: .identity(alice), content: "deleted")
            try await database.deleteComment(deleted.id, of: post.id, in: mine, by: alice)

            let talk = BlogSlug(trusted: "talk")
            func importThread(_ count: Int, new: Bool) throws -> ImportReport {
                try withTemporaryFile(Data(Self.longThread(count: count, replyDistance: 70).utf8)) { path throws in
                    try database.importIntoBlog(talk, owner: alice, createWith: new ? (title: "Talk", language: LanguageTag(trusted: "en")) : nil) { batch in
                        try BlogImporter().run(path: path, into: batch)
                    }
                }
            }
            #expect(try importThread(150, new: true).comments == 150)
            let talkBlog = try #require(try await database.blog(slug: talk))
            let thread = try #require(try await database.posts(in: talkBlog.id, limit: 10).first)
            var comments = try await database.comments(of: thread.id, limit: 1_000)
            #expect(comments.map(\.id.rawValue) == Array((deleted.id.rawValue + 1)...(deleted.id.rawValue + 150)))
            #expect(comments.map(\.content) == (1...150).map { "Comment \($0)" })
            #expect(comments.map(\.parentID) == comments.indices.map { $0 >= 70 ? comments[$0 - 70].id : nil })
            #expect(thread.commentCount == 150)

            // Merging a longer thread adds only what is new, replying to what was there.
            #expect(try importThread(160, new: false).comments == 10)
            comments = try await database.comments(of: thread.id, limit: 1_000)
            #expect(comments.count == 160)
            #expect(comments.map(\.parentID) == comments.indices.map { $0 >= 70 ? comments[$0 - 70].id : nil })
            #expect(try await database.posts(in: talkBlog.id, limit: 10).first?.commentCount == 160)

            // A comment written in ferry afterwards takes an id after them all: on SQLite the next
            // one; PostgreSQL's sequence gives an import its ids a block at a time.
            let written = try await database.addComment(to: thread.id, in: thread.blogID, by: .identity(alice), content: "after")
            #expect(written.id.rawValue > comments.map(\.id.rawValue).max() ?? .max)
            if backend == .sqlite { #expect(written.id.rawValue == deleted.id.rawValue + 161) }
        }
    }

    /// Old addresses are written many to a statement: each is counted once, and an address two
    /// posts claim leads to the first, also when they are far apart in the export.
    @Test(arguments: StoreBackend.available) func everyOldAddressIsCountedOnceAndLeadsToItsFirstPost(backend: StoreBackend) async throws {
        let items = (1...150).map { number in
            // The 120th post claims the 2nd one's old permalink.
            """
            <item><title>Post \(number)</title><link>https://old.example/\(number == 120 ? 2 : number)/</link>
            <guid isPermaLink="false">https://old.example/?p=\(number)</guid><wp:post_id>\(number)</wp:post_id>
            <wp:post_date_gmt>2010-01-01 00:00:00</wp:post_date_gmt><wp:post_name>post-\(number)</wp:post_name></item>
            """
        }
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><link>https://old.example</link>
            \(items.joined())</channel></rss>
            """
        try await withStore(on: backend) { database, alice in
            func importAddresses(new: Bool) throws -> ImportReport {
                try withTemporaryFile(Data(xml.utf8)) { path throws in
                    try database.importIntoBlog(
                        BlogSlug(trusted: "addresses"), owner: alice, createWith: new ? (title: "A", language: LanguageTag(trusted: "en")) : nil
                    ) { batch in
                        try BlogImporter(claims: ClaimPolicy(trustEveryImporter: true)).run(path: path, into: batch)
                    }
                }
            }
            let report = try importAddresses(new: true)
            // The root, the usual feed addresses, 149 permalinks and 150 `?p=` forms.
            #expect(report.redirects == 1 + 9 + 149 + 150)
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "addresses")))
            #expect(try await database.redirects(into: blog.id).count == report.redirects)
            #expect(try await database.redirect(from: OldAddress(host: "old.example", path: "/2"))?.target == "/addresses/2010/01/post-2")
            #expect(try await database.redirect(from: OldAddress(host: "old.example", path: "/?p=120"))?.target == "/addresses/2010/01/post-120")
            #expect(try importAddresses(new: false).redirects == 0)

            // A deleted post's old addresses leave with it; the others stay.
            let january = try #require(PostMonth(year: 2010, month: 1))
            let second = try #require(try await database.reading(blog.slug, by: alice) { try await $0.post(month: january, slug: PostSlug(trusted: "post-2")) })
            try await database.deletePost(second.id, in: blog.slug, by: alice)
            #expect(try await database.redirect(from: OldAddress(host: "old.example", path: "/2")) == nil)
            #expect(try await database.redirect(from: OldAddress(host: "old.example", path: "/?p=2")) == nil)
            #expect(try await database.redirect(from: OldAddress(host: "old.example", path: "/?p=3")) != nil)
            #expect(try await database.redirects(into: blog.id).count == report.redirects - 2)
            try await expectIntact(database)
        }
    }

    /// Every thousand items the pages written so far go to SQLite's log before the commit:
    /// what arrives is the same, all of it.
    @Test(arguments: StoreBackend.available) func aLongImportWritesAsItGoesAndKeepsEverything(backend: StoreBackend) async throws {
        let items = (1...2_500).map { number in
            """
            <item><title>Post \(number)</title><link>https://old.example/\(number)/</link><wp:post_date_gmt>2010-01-01 00:00:00</wp:post_date_gmt>
            <content:encoded><![CDATA[<p>Post number \(number).</p>]]></content:encoded>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>On \(number)</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment></item>
            """
        }
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title>T</title><link>https://old.example</link>\(items.joined())</channel></rss>
            """
        try await withStore(on: backend) { database, alice in
            func importLong(_ bytes: Data) throws -> ImportReport {
                try withTemporaryFile(bytes) { path throws in
                    try database.importIntoBlog(BlogSlug(trusted: "long"), owner: alice, createWith: (title: "Long", language: LanguageTag(trusted: "en"))) {
                        batch in
                        try BlogImporter().run(path: path, into: batch)
                    }
                }
            }
            // Cut after pages were written: none of them counts.
            let error = #expect(throws: FerryError.self) { try importLong(Data(xml.utf8).prefix(xml.utf8.count * 9 / 10)) }
            #expect(error?.code == .unreadableExport)
            #expect(try await database.blog(slug: BlogSlug(trusted: "long")) == nil)

            let report = try importLong(Data(xml.utf8))
            #expect(report.posts == 2_500 && report.comments == 2_500)
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "long")))
            let posts = try await database.posts(in: blog.id, limit: 5_000)
            #expect(Set(posts.map(\.title)) == Set((1...2_500).map { "Post \($0)" }))
            #expect(posts.allSatisfy { $0.commentCount == 1 })
            try await expectIntact(database)
        }
    }

    /// Blogger exports list comments as entries of their own, after their posts: a reply's parent
    /// is looked up among the comments already imported, including those not yet written.
    @Test(arguments: StoreBackend.available) func bloggerRepliesFindTheCommentsTheyAnswer(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            try withTemporaryFile(Data(BloggerExportReaderTests.classic.utf8)) { path throws in
                let report = try database.importIntoBlog(
                    BlogSlug(trusted: "spaces"), owner: alice, createWith: (title: "Spaces", language: LanguageTag(trusted: "en"))
                ) { batch in
                    try BlogImporter().run(path: path, into: batch)
                }
                #expect(report.posts == 1 && report.comments == 2)
            }
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "spaces")))
            let post = try #require(try await database.posts(in: blog.id, limit: 10).first)
            let comments = try await database.comments(of: post.id, limit: 1_000)
            #expect(comments.map(\.content) == ["Nice post", "Thanks!"])
            #expect(comments.last?.parentID == comments.first?.id)
            #expect(comments.first?.parentID == nil)
            #expect(post.commentCount == 2)
        }
    }

    @Test(arguments: StoreBackend.available) func onlyTheOwnerImportsAndNewBlogsNeedAFreeAddress(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let mallory = try await database.createIdentity(handle: Handle(trusted: "mallory"), displayName: "M", passwordHash: "x")
            _ = try importFixture(database, owner: alice, new: true)
            #expect(throws: FerryError.self) { try importFixture(database, owner: mallory.id, new: false) }
            #expect(throws: FerryError.self) { try importFixture(database, owner: alice, new: true) }
        }
    }
}

@Suite struct RoundTripTests {
    @Test func exportingAndImportingKeepsPostsCommentsTagsAndEntryIDs() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
            let fixture = fixtures.appendingPathComponent("wordpress-theme-unit-test.wxr.xml").path
            _ = try database.importIntoBlog(BlogSlug(trusted: "themes"), owner: alice, createWith: (title: "Themes", language: LanguageTag(trusted: "en"))) {
                batch in
                try BlogImporter().run(path: fixture, into: batch)
            }
            let original = try #require(try await database.blog(slug: BlogSlug(trusted: "themes")))
            // The owner's drafts are in their copy, marked as drafts (which imports leave behind).
            _ = try await database.createPost(
                in: original.slug, by: alice, draft: PostDraft(title: "Unfinished", content: "<p>…</p>", tags: []), publish: false)

            let copyFile = folder.appendingPathComponent("copy.xml")
            _ = FileManager.default.createFile(atPath: copyFile.path, contents: nil)
            let handle = try FileHandle(forWritingTo: copyFile)
            try await WXRExport(database: database, siteURL: "https://ferry.example").write(original) { try handle.write(contentsOf: Data($0.utf8)) }
            try handle.close()
            #expect(try ExportFormat.detect(path: copyFile.path) == .rss)
            #expect(try String(contentsOf: copyFile, encoding: .utf8).contains("<title>Unfinished</title>"))
            let report = try database.importIntoBlog(BlogSlug(trusted: "copy"), owner: alice, createWith: (title: "Copy", language: LanguageTag(trusted: "en")))
            { batch in
                try BlogImporter().run(path: copyFile.path, into: batch)
            }
            #expect(report.leftBehind == ["draft": 1])
            let copy = try #require(try await database.blog(slug: BlogSlug(trusted: "copy")))

            let before = try await database.posts(in: original.id, limit: 500) + database.pages(in: original.id)
            let after = Dictionary(
                uniqueKeysWithValues: try await (database.posts(in: copy.id, limit: 500) + database.pages(in: copy.id)).map { ($0.entryID, $0) })
            #expect(after.count == before.count)
            for post in before {
                let copied = try #require(after[post.entryID], "\(post.title)")
                #expect(copied.title == post.title)
                #expect(copied.content == post.content, "\(post.title)")
                #expect(Set(copied.tags) == Set(post.tags), "\(post.title)")
                #expect(copied.publishedAt == post.publishedAt)
                #expect(copied.slug == post.slug)
                #expect(copied.kind == post.kind)
                let comments = try await database.comments(of: post.id, limit: 1_000)
                let copiedComments = try await database.comments(of: copied.id, limit: 1_000)
                #expect(copiedComments.map(\.content) == comments.map(\.content))
                #expect(copiedComments.map(\.author.displayName) == comments.map(\.author.displayName))
                // Threads survive: each reply answers the copy of the comment it answered.
                let parents = comments.map { comment in comment.parentID.flatMap { id in comments.firstIndex { $0.id == id } } }
                let copiedParents = copiedComments.map { comment in comment.parentID.flatMap { id in copiedComments.firstIndex { $0.id == id } } }
                #expect(copiedParents == parents)
            }
            #expect(before.contains { $0.kind == .page })
        }
    }
}
