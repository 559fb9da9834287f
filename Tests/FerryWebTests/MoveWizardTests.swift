import FerryCore
import FerryStore
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `/move` in a browser without script: connect, upload, preview, confirm, follow, report —
/// and every refusal said beside its field, leaving nothing behind.
@Suite struct MoveWizardTests {
    static let themeExport = publicDirectory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/wordpress-theme-unit-test.wxr.xml")

    static func newBlogFields(_ token: String, slug: String = "themes", link: Bool = false, password: String = "") -> [(String, String)] {
        var fields = [("csrf", token), ("mode", "new"), ("slug", slug), ("title", ""), ("language", "en"), ("visibility", "private")]
        if link { fields += [("link", "on"), ("password", password)] }
        return fields
    }

    static func export(_ bytes: Data) -> [(String, String, String, Data)] {
        [("export", "export.xml", "text/xml", bytes)]
    }

    @Test func aStrangerIsAskedToConnectFirstAndComesBack() async throws {
        try await withApp(configure: { $0.migrationWindow.closesAt = Date().addingTimeInterval(10 * 86_400 + 3_600) }) { client in
            let page = try await client.send(.get, "/move")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"href="/login?next=%2Fmove""#))
            #expect(page.text.contains(#"href="/signup?next=%2Fmove""#))
            #expect(page.text.contains("10 days left to move your blog"))
            #expect(!page.text.contains("<form"))
            // The wizard's other steps send a stranger to sign in, and back.
            let upload = try await client.send(.post, "/move")
            #expect(upload.status == .seeOther)
            #expect(upload.headers[.location] == "/login?next=%2Fmove")
        }
    }

    @Test func anOwnerMovesTheThemeExportIntoANewPrivateLinkedBlog() async throws {
        try await withApp { client in
            try await client.signUp("alice")
            let browser = try await PageBrowser.signIn("alice", client)
            let form = try await browser.get("/move")
            #expect(form.text.contains(#"name="export""#) && form.text.contains(#"enctype="multipart/form-data""#))
            let token = try await browser.token("/move")
            let uploaded = try await browser.postMultipart(
                "/move", Self.newBlogFields(token, link: true, password: "correct horse"), files: Self.export(try Data(contentsOf: Self.themeExport)))
            #expect(uploaded.status == .seeOther)
            let progressPath = try #require(uploaded.headers[.location])

            let preview = try await browser.get(progressPath)
            #expect(preview.text.contains("<strong>56</strong> posts"))
            #expect(preview.text.contains("<strong>1</strong> draft"))
            #expect(preview.text.contains("cannot be undone"))
            #expect(preview.text.contains("offline copy"))
            #expect(try await client.send(.get, "/themes/").status == .notFound)

            // Someone else's move does not exist for them, nor can they confirm it.
            try await client.signUp("mallory")
            let mallory = try await PageBrowser.signIn("mallory", client)
            #expect(try await mallory.get(progressPath).status == .notFound)
            #expect(try await mallory.get("\(progressPath)/progress").status == .notFound)
            #expect(try await mallory.post("\(progressPath)/confirm", [("csrf", try await mallory.token("/move"))]).status == .notFound)

            let confirmed = try await browser.post("\(progressPath)/confirm", [("csrf", token)])
            #expect(confirmed.status == .seeOther)
            let report = try await waitUntilDone(browser, progressPath)
            #expect(report.text.contains(#"data-status="done""#))
            #expect(report.text.contains(#"href="/themes/""#))
            #expect(report.text.contains(#"href="/help/desktop-editor""#))

            // Private: the owner reads it, a stranger is told it does not exist; linked as chosen.
            #expect(try await browser.get("/themes/").status == .ok)
            #expect(try await client.send(.get, "/themes/").status == .notFound)
            let alice = try await client.signIn("alice")
            #expect(try await client.send(.get, "/api/blogs/themes", token: alice).json()["linked"] as? Bool == true)
        }
    }

    @Test func anExportMergesIntoABlogTheOwnerHas() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let browser = try await PageBrowser.signIn("alice", client)
            let form = try await browser.get("/move")
            #expect(form.text.contains(#"<option value="notes">"#))
            let token = try await browser.token("/move")
            let export =
                #"<?xml version="1.0"?><rss><channel><title>Old</title><item><guid>http://old.example/?p=1</guid><title>From the old host</title><description>Hi</description><pubDate>Mon, 02 Jan 2006 10:00:00 GMT</pubDate></item></channel></rss>"#
            // A merge keeps the blog's own settings: the new blog's fields are not read.
            let fields = [("csrf", token), ("mode", "merge"), ("blog", "notes"), ("slug", "ignored"), ("title", "Ignored")]
            let uploaded = try await browser.postMultipart("/move", fields, files: Self.export(Data(export.utf8)))
            #expect(uploaded.status == .seeOther)
            let path = try #require(uploaded.headers[.location])
            #expect(try await browser.get(path).text.contains("your blog at /notes/"))
            #expect(try await browser.post("\(path)/confirm", [("csrf", token)]).status == .seeOther)
            #expect(try await waitUntilDone(browser, path).text.contains(#"data-status="done""#))
            let posts = try await client.send(.get, "/api/blogs/notes/posts", token: alice).json()["posts"] as? [[String: Any]]
            #expect(posts?.first?["title"] as? String == "From the old host")
            #expect(try await client.send(.get, "/api/blogs/notes", token: alice).json()["title"] as? String == "notes")
            let dashboard = try await browser.get("/me")
            #expect(dashboard.text.contains(#"<a href="\#(path)">/notes/"#))
        }
    }

    /// Polls the progress page as its script does, until the move ends.
    private func waitUntilDone(_ browser: PageBrowser, _ path: String) async throws -> TestResponse {
        for _ in 0..<300 {
            let state = try await browser.get("\(path)/progress").json()
            if let status = state["status"] as? String, status == "done" || status == "failed" { return try await browser.get(path) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError(message: "the move did not end")
    }

    @Test func aWrongPasswordIsSaidBesideItsFieldAndChangesNothing() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                try await client.signUp("alice")
                let browser = try await PageBrowser.signIn("alice", client)
                let token = try await browser.token("/move")
                let refused = try await browser.postMultipart(
                    "/move", Self.newBlogFields(token, link: true, password: "wrong password"),
                    files: Self.export(try Data(contentsOf: Self.themeExport)))
                #expect(refused.status == .forbidden)
                #expect(refused.fieldError("password")?.contains("not the password") == true)
                // What was typed stays, never the password; nothing was stored.
                #expect(refused.text.contains(#"value="themes""#))
                #expect(!refused.text.contains("wrong password"))
                #expect(refused.fieldError("export") == "Choose the export file again.")
                try await expectNothingStored(client, folder)
            }
        }
    }

    @Test func everyRefusalNamesItsFieldAndLeavesNothing() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder, configure: { $0.maxImportBytes = 4_096 }) { client in
                try await client.signUp("alice")
                let bob = try await client.newIdentity("bob")
                try await client.createBlog("taken", token: bob)
                let browser = try await PageBrowser.signIn("alice", client)
                let token = try await browser.token("/move")
                let small = Data(#"<?xml version="1.0"?><rss><channel><title>T</title><item><title>A</title></item></channel></rss>"#.utf8)

                let tooLarge = try await browser.postMultipart("/move", Self.newBlogFields(token), files: Self.export(Data(count: 10_000)))
                #expect(tooLarge.status == .contentTooLarge)
                #expect(tooLarge.fieldError("export")?.contains("4096 bytes") == true)

                let bomb = Data(
                    #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><title>&b;</title></item></channel></rss>"#
                        .utf8)
                let hostile = try await browser.postMultipart("/move", Self.newBlogFields(token), files: Self.export(bomb))
                #expect(hostile.status == .unprocessableContent)
                #expect(hostile.fieldError("export")?.hasPrefix("The export could not be read") == true)

                let taken = try await browser.postMultipart("/move", Self.newBlogFields(token, slug: "taken"), files: Self.export(small))
                #expect(taken.status == .conflict)
                #expect(taken.fieldError("slug")?.contains("already taken") == true)

                let reserved = try await browser.postMultipart("/move", Self.newBlogFields(token, slug: "help"), files: Self.export(small))
                #expect(reserved.fieldError("slug")?.contains("reserved") == true)

                let noFile = try await browser.postMultipart("/move", Self.newBlogFields(token))
                #expect(
                    noFile.fieldError("export")?.contains("choose the export") == true || noFile.fieldError("export")?.contains("Choose the export") == true)

                let forged = try await browser.postMultipart("/move", Self.newBlogFields("forged"), files: Self.export(small))
                #expect(forged.status == .forbidden)
                #expect(forged.text.contains("expired"))

                let merge = try await browser.postMultipart("/move", [("csrf", token), ("mode", "merge"), ("blog", "taken")], files: Self.export(small))
                #expect(merge.status == .forbidden)
                // Alice has no blog to merge into, so the page shows no such field: the error stands above the form.
                #expect(merge.text.contains(#"<p class="error" role="alert">"#))
                try await expectNothingStored(client, folder)
            }
        }
    }

    @Test func theFrontDoorLeadsToTheWizardOrTheDashboard() async throws {
        try await withApp { client in
            let front = try await client.send(.get, "/")
            #expect(front.status == .ok)
            #expect(front.text.contains("Move your blog"))
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let browser = try await PageBrowser.signIn("alice", client)
            #expect(try await browser.get("/").headers[.location] == "/me")
            let help = try await browser.get("/help/desktop-editor")
            #expect(help.text.contains("<code>\(siteURL)/notes/</code>"))
            #expect(help.text.contains("<code>\(siteURL)/atompub/notes</code>"))
            #expect(help.text.contains("<code>alice</code>"))
            #expect(try await client.send(.get, "/help/desktop-editor").status == .ok)
        }
    }

    @Test func afterTheCutoffTheWizardSaysTheHostHasClosed() async throws {
        try await withApp(configure: { $0.migrationWindow.closesAt = Date().addingTimeInterval(-86_400) }) { client in
            try await client.signUp("alice")
            let browser = try await PageBrowser.signIn("alice", client)
            let page = try await browser.get("/move")
            #expect(page.text.contains("The old host closed on"))
            #expect(!page.text.contains(#"name="export""#))
            let token = try await browser.token("/move")
            let refused = try await browser.postMultipart("/move", Self.newBlogFields(token), files: Self.export(Data("<rss/>".utf8)))
            #expect(refused.status == .gone)
        }
    }

    /// No blog and no migration for alice, and no export waiting on disk.
    private func expectNothingStored(_ client: any TestClientProtocol, _ folder: URL) async throws {
        let alice = try await client.signIn("alice")
        let blogs = try await client.send(.get, "/api/me/blogs", token: alice).json()["blogs"] as? [Any]
        #expect(blogs?.isEmpty == true)
        let migrations = try await withTestStore(folder) { database in
            let owner = try #require(try await database.identity(handle: Handle(validating: "alice")))
            return try await database.migrations(of: owner.id)
        }
        #expect(migrations.isEmpty)
        let waiting = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("migrations").path)) ?? []
        #expect(waiting.isEmpty)
    }
}
