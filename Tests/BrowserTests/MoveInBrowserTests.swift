import FerryCore
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A new person moves a blog end to end in a real headless Chromium, as the issue tells it:
/// sign up from the wizard; a wrong password in the Connect step is said beside its field and
/// changes nothing; the theme test export moves into a new private blog tied to the identity,
/// the progress bar reaching `done`; the owner reads the blog, a stranger gets 404; a post
/// with an uploaded photo; hostile and oversized uploads refused with a clear message; a
/// contact signs in and sees the post in `/stream`. Each page is photographed at 1280 and 390.
@Suite(.enabled(if: BrowserSuite.isEnabled, "set FERRY_BROWSER_TESTS=1 (with chromium and chromium-driver installed)"), .serialized)
struct MoveInBrowserTests {
    /// A 120×80 PNG: two bands of colour.
    static let photo = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAHgAAABQCAIAAABd+SbeAAAAjklEQVR42u3QMQ0AMAgAMJzMyDxhEy9zsAsXhKNJFTROPgaEAtGiES1atAXRohEtWrQF0aIRLVo0okUjWrRoRItGtGjRiBaNaNGiES0a0aJFI1o0ohdG/7oMEC1aNKJFi1YgWjSiRYu2IFo0okWLtiBaNKJFi0a0aESLFo1o0YgWLRrRohEtWjSiRSN6oQb7DPsBAbDQGgAAAABJRU5ErkJggg=="
    )

    @Test func aNewPersonMovesABlogEndToEnd() async throws {
        try await withTemporaryDirectory { files in
            let export = BrowserSuite.fixtures.appendingPathComponent("wordpress-theme-unit-test.wxr.xml")
            let oversizedExport = files.appendingPathComponent("too-large.xml")
            try Data(count: 2 << 20).write(to: oversizedExport)
            let photo = files.appendingPathComponent("beach.png")
            try Self.photo?.write(to: photo)
            let disguised = files.appendingPathComponent("holiday.jpg")
            try Data("<html><script>alert(1)</script></html>".utf8).write(to: disguised)
            let hugePhoto = files.appendingPathComponent("huge.jpg")
            try (Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(count: 300 * 1_024)).write(to: hugePhoto)

            try await BrowserSuite.run(configure: {
                $0.maxImportBytes = 1 << 20
                $0.mediaUploads.maxBytes = 256 * 1_024
                $0.migrationWindow.closesAt = Date().addingTimeInterval(30 * 86_400 + 3_600)
            }) { browser, site, client in
                try await Self.signUpFromTheWizard(browser, site)
                try await Self.refuseAWrongPasswordAndAnOversizedExport(browser, export: export, oversized: oversizedExport)
                try await Self.move(browser, export: export)
                // The owner read it in the browser; a stranger is told it does not exist.
                #expect(try await client.executeRequest(uri: "/themes/", method: .get, headers: [:], body: nil).status == .notFound)
                try await Self.writeAPost(browser, site, photo: photo, disguised: disguised, huge: hugePhoto)
                try await Self.aContactSeesItInTheStream(browser, site, client)
            }
        }
    }

    private static func signUpFromTheWizard(_ browser: WebDriver, _ site: String) async throws {
        try await browser.go(site + "/move")
        #expect(try await browser.require("main").text().contains("30 days left"))
        try await BrowserSuite.shoot(browser, "01-move-connect")
        try await browser.require("main a[href^='/signup']").click()
        try await browser.wait(5, for: "the sign-up form") { try await browser.element("#displayName") != nil }
        try await BrowserSuite.shoot(browser, "02-signup")
        try await browser.require("#handle").type("alice")
        try await browser.require("#password").type("correct horse")
        try await browser.require("#displayName").type("Alice Liddell")
        try await browser.require("main form button").click()
        try await browser.wait(5, for: "the wizard's form") { try await browser.element("#export") != nil }
        #expect(try await browser.require("nav.account").text().contains("@alice"))
    }

    private static func fillTheMove(_ browser: WebDriver, export: URL, password: String) async throws {
        try await browser.require("#export").type(export.path)
        let slug = try await browser.require("#slug")
        try await slug.clear()
        try await slug.type("themes")
        try await browser.require("#visibility option[value=private]").click()
        try await browser.require("input[name=link]").click()
        try await browser.require("#password").type(password)
    }

    private static func refuseAWrongPasswordAndAnOversizedExport(_ browser: WebDriver, export: URL, oversized: URL) async throws {
        try await BrowserSuite.shoot(browser, "03-move-form")
        // The script refuses a file over the limit before a byte is sent.
        try await browser.require("#export").type(oversized.path)
        try await browser.wait(2, for: "the size message") { try await browser.require("#export-error").text().contains("at most 1 MB") }
        try await BrowserSuite.shoot(browser, "04-move-export-too-large")
        try await browser.require("main form button").click()
        #expect(try await browser.currentURL().hasSuffix("/move"))

        try await fillTheMove(browser, export: export, password: "not my password")
        try await browser.require("main form button").click()
        try await browser.wait(10, for: "the password's error") {
            try await browser.element("#password-error")?.text().contains("not the password") == true
        }
        #expect(try await browser.require("#slug").attribute("value") == "themes")
        try await BrowserSuite.shoot(browser, "05-move-wrong-password")
        try await browser.go(try await browser.currentURL().replacingOccurrences(of: "/move", with: "/me"))
        #expect(try await browser.require("main").text().contains("No blog yet"))
    }

    private static func move(_ browser: WebDriver, export: URL) async throws {
        try await browser.require("a[href='/move']").click()
        try await browser.wait(5, for: "the wizard's form") { try await browser.element("#export") != nil }
        try await fillTheMove(browser, export: export, password: "correct horse")
        try await browser.require("main form button").click()
        try await browser.wait(20, for: "the preview") { try await browser.element("form[action$='/confirm']") != nil }
        let preview = try await browser.require("main").text()
        #expect(preview.contains("56 posts"))
        #expect(preview.contains("cannot be undone"))
        try await BrowserSuite.shoot(browser, "06-move-preview")
        try await browser.require("form[action$='/confirm'] button").click()
        try await browser.wait(5, for: "the progress bar") { try await browser.element("progress") != nil }
        #expect(try await browser.count("progress") == 1)
        try await browser.wait(60, for: "the move to be done") {
            guard try await browser.element("[data-status]")?.attribute("data-status") == "done" else { return false }
            return try await browser.element("a[href='/themes/']") != nil
        }
        #expect(try await browser.count("[data-status]") == 1)
        #expect(try await browser.element("a[href='/help/desktop-editor']") != nil)
        try await BrowserSuite.shoot(browser, "07-move-done")
        try await browser.require("a.button[href='/themes/']").click()
        try await browser.wait(5, for: "the blog") { try await browser.count("article") > 3 }
        try await BrowserSuite.shoot(browser, "08-blog-home")
    }

    private static func writeAPost(_ browser: WebDriver, _ site: String, photo: URL, disguised: URL, huge: URL) async throws {
        try await browser.go(site + "/me")
        try await BrowserSuite.shoot(browser, "09-dashboard")
        try await browser.require("a[href='/me/blogs/themes/posts/new']").click()
        try await browser.wait(5, for: "the editor") { try await browser.element("#content") != nil }

        try await browser.require("#file").type(huge.path)
        try await browser.wait(2, for: "the size message") {
            try await browser.require("#file-error").text() == "This file is 307 KB; at most 262 KB can be uploaded."
        }
        try await browser.go(site + "/me/blogs/themes/posts/new")
        try await browser.require("#title").type("Sea, at last")
        try await browser.require("#content").type("<p>We moved, and then we went to the sea.</p>")
        try await browser.require("#file").type(disguised.path)
        try await browser.require("main form button").click()
        try await browser.wait(10, for: "the upload's error") { try await browser.element("#file-error")?.text().contains("not a JPEG") == true }
        try await BrowserSuite.shoot(browser, "10-editor-hostile-upload")

        try await browser.require("#tags").type("sea, summer")
        try await browser.require("#file").type(photo.path)
        try await browser.require("main form button").click()
        try await browser.wait(10, for: "the new post") { try await browser.element("article img[src^='/media/']") != nil }
        let loaded = try await browser.run("return document.querySelector(\"article img[src^='/media/']\").naturalWidth") as? Int
        #expect(loaded == 120)
        try await BrowserSuite.shoot(browser, "11-post-with-photo")
    }

    private static func aContactSeesItInTheStream(_ browser: WebDriver, _ site: String, _ client: any TestClientProtocol) async throws {
        let bob = #"{"handle":"bob","password":"battery staple","displayName":"Bob"}"#
        _ = try await client.executeRequest(
            uri: "/api/identities", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: bob))
        try await browser.go(site + "/contacts")
        try await browser.require("#handle").type("bob")
        try await browser.require("main form button").click()
        try await browser.wait(5, for: "the invitation") { try await browser.element("button[aria-label^='Withdraw']") != nil }
        try await BrowserSuite.shoot(browser, "12-contacts")
        try await browser.require("nav.account form button").click()
        try await browser.wait(5, for: "the sign-in page") { try await browser.element("input[name=handle]") != nil }
        try await BrowserSuite.shoot(browser, "13-login")

        try await browser.require("input[name=handle]").type("bob")
        try await browser.require("input[name=password]").type("battery staple")
        try await browser.require("main form button").click()
        // Signed in once the account bar names bob: going on before would race the sign-in.
        try await browser.wait(5, for: "bob to be signed in") { try await browser.element("nav.account")?.text().contains("@bob") == true }
        try await browser.go(site + "/contacts")
        try await browser.require("form[action='/contacts/alice/accept'] button").click()
        try await browser.wait(5, for: "the accepted contact") { try await browser.element("main")?.text().contains("You are contacts now") == true }
        try await browser.go(site + "/stream")
        #expect(try await browser.require("main").text().contains("Sea, at last"))
        try await BrowserSuite.shoot(browser, "14-stream")
        try await browser.go(site + "/themes/")
        #expect(try await browser.require("main").text().contains("Sea, at last"))
    }
}
