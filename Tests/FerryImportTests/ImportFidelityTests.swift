import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// What a real export holds arrives whole: WordPress's own test data, and a zip of an export
/// whose host is already gone.
@Suite struct ImportFidelityTests {
    let wxr = fixtures.appendingPathComponent("wordpress-theme-unit-test.wxr.xml").path

    @Test func wordPressContentIsShownAsWordPressShowsIt() async throws {
        try await withStore { database, alice in
            let report = try database.importIntoBlog(BlogSlug(trusted: "themes"), owner: alice, createWith: (title: "T", language: LanguageTag(trusted: "en")))
            { batch in
                try BlogImporter().run(path: wxr, into: batch)
            }
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "themes")))
            let posts = Dictionary(try await database.posts(in: blog.id, limit: 200).map { ($0.title, $0) }, uniquingKeysWith: { first, _ in first })
            for post in posts.values {
                for shortcode in ["[gallery", "[caption", "[audio", "[video ", "[embed"] {
                    #expect(!post.content.contains(shortcode), "\(post.title): \(shortcode)")
                }
            }
            let gallery = try #require(posts["Post Format: Gallery"]?.content)
            #expect(gallery.contains(#"<figure class="gallery gallery-columns-"#))
            #expect(gallery.components(separatedBy: "<img ").count > 5, "the photos attached to the post, listed after it in the export")
            let tiled = try #require(posts["Post Format: Gallery (Tiled)"]?.content)
            #expect(
                tiled.contains("gallery-columns-4") && tiled.components(separatedBy: "<img ").count == 6,
                "ids=\"755,757,758,760,766,763\": 763 is not in the export")
            let caption = try #require(posts["Post Format: Image (Caption)"]?.content)
            #expect(caption.contains("<figure>") && caption.contains("<figcaption>"))
            let audio = try #require(posts["Post Format: Audio"]?.content)
            #expect(
                audio.contains(
                    #"<audio controls src="https://wpthemetestdata.files.wordpress.com/2008/06/originaldixielandjazzbandwithalbernard-stlouisblues.mp3"></audio>"#
                ))
            let embeds = try #require(posts["Block category: Embeds"]?.content)
            #expect(embeds.contains(#"<a href="https://youtu.be/ex8fMxXJDJw" rel="nofollow ugc noopener">https://youtu.be/ex8fMxXJDJw</a>"#))
            let standard = try #require(posts["Post Format: Standard"]?.content)
            #expect(standard.hasPrefix("<p>All children, except one, grow up."))
            #expect(standard.components(separatedBy: "<p>").count > 5)
            #expect(report.warnings.contains { $0.contains("[simple]") } == false, "prose in brackets is not a shortcode")

            // Comments get their paragraphs too.
            var commentsWithParagraphs = 0
            for post in posts.values {
                for comment in try await database.comments(of: post.id, limit: 1_000) where comment.content.contains("<p>") { commentsWithParagraphs += 1 }
            }
            #expect(commentsWithParagraphs > 0)
        }
    }

    /// The old host is gone: the export names its media by absolute address, and the zip holds
    /// them under the same paths, at its root, below one top folder or a folder named after
    /// the host. Each is taken from the zip, every reference is rewritten, and what the zip
    /// lacks is listed with its reason.
    @Test func aZipOfAGoneHostGivesEveryMediumItHolds() async throws {
        let host = "http://gone.invalid"
        let export = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel><title>Gone</title><link>\(host)</link>
            <item><title>Everything</title><link>\(host)/2008/03/everything/</link><wp:post_id>1</wp:post_id>
            <wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_date_gmt>2008-03-01 10:00:00</wp:post_date_gmt>
            <content:encoded><![CDATA[<a href="\(host)/wp-content/uploads/2008/03/a.jpg"><img src="\(host)/wp-content/uploads/2008/03/a-300x200.jpg"></a>
            <video src="\(host)/wp-content/uploads/2008/03/clip.mp4" poster="\(host)/wp-content/uploads/2008/03/poster.jpg"><source src="//gone.invalid/wp-content/uploads/2008/03/clip.webm"></video>
            <audio src="\(host)/wp-content/uploads/2008/03/talk.mp3"></audio>
            [audio mp3="\(host)/wp-content/uploads/2008/03/song.mp3"][/audio]
            <img src="\(host)/wp-content/uploads/2008/03/missing.jpg"><a href="\(host)/about/">a page, not a medium</a>]]></content:encoded>
            <enclosure url="\(host)/wp-content/uploads/2008/03/cast.mp3" type="audio/mpeg" length="1"/>
            </item></channel></rss>
            """
        func bytes(_ seed: UInt8) -> Data { Data([0xFF, 0xD8, 0xFF, seed] + Array(repeating: seed, count: 32)) }
        let files: [(String, Data?)] = [
            ("site/export.xml", Data(export.utf8)),
            ("site/wp-content/uploads/2008/03/a.jpg", bytes(1)),
            ("site/wp-content/uploads/2008/03/a-300x200.jpg", bytes(2)),
            ("site/gone.invalid/wp-content/uploads/2008/03/clip.mp4", bytes(3)),
            ("wp-content/uploads/2008/03/poster.jpg", bytes(4)),
            ("wp-content/uploads/2008/03/clip.webm", bytes(5)),
            ("site/wp-content/uploads/2008/03/talk.mp3", bytes(6)),
            ("site/wp-content/uploads/2008/03/song.mp3", bytes(7)),
            ("site/wp-content/uploads/2008/03/cast.mp3", bytes(8)),
        ]
        // A real fetcher moves the media: anything not taken from the zip would try the
        // network, and `.invalid` never resolves.
        try await withTemporaryDirectory { folder in
            try await withZippedExport(files, in: folder) { package, database, alice, plan in
                #expect(plan.stored.count == 8, "\(plan.failures)")
                let report = try database.importIntoBlog(
                    BlogSlug(trusted: "gone"), owner: alice, createWith: (title: "Gone", language: LanguageTag(trusted: "en"))
                ) { batch in
                    try BlogImporter(media: plan).run(path: package.exportPath, into: batch)
                }
                #expect(report.photos == 3 && report.videos == 2 && report.sounds == 3)
                #expect(report.mediaMoved == 8)
                #expect(report.mediaKeptAtOldAddress == 1)
                #expect(report.mediaFailures.map(\.address) == ["\(host)/wp-content/uploads/2008/03/missing.jpg"])
                #expect(
                    report.mediaFailures.first?.reason == "gone.invalid is not a public web address",
                    "gone, said without telling a gone host from an inside one")

                let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "gone")))
                let post = try #require(try await database.posts(in: blog.id, limit: 1).first)
                let leftOnTheOldHost = post.content.components(separatedBy: "gone.invalid").count - 1
                #expect(leftOnTheOldHost == 2, "only the missing photo and the link to a page: \(post.content)")
                #expect(post.content.contains(#"<a href="/media/"#))
                #expect(post.content.contains(#"poster="/media/"#) && post.content.contains(#"<source src="/media/"#))
                #expect(post.content.components(separatedBy: "<audio").count - 1 == 3, "the player, the shortcode and the enclosure")
            }
        }
    }

    /// Addresses outside a post's HTML (enclosures, attachments) are not sanitized: a `file:`
    /// one must never read this server's files, and other schemes are refused and reported.
    @Test func onlyWebAddressesAndTheZipsOwnFilesAreRead() async throws {
        try await withTemporaryDirectory { folder in
            let secret = folder.appendingPathComponent("secret.jpg")
            try Data([0xFF, 0xD8, 0xFF, 0xE0, 0x5E, 0xC2, 0xE7]).write(to: secret)
            let export = """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><link>file:///</link>
                <item><title>Sneaky</title><link>http://old.invalid/sneaky/</link><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
                <wp:status>publish</wp:status><enclosure url="file://\(secret.path)" type="image/jpeg" length="1"/>
                <enclosure url="ftp://old.invalid/a.jpg" type="image/jpeg" length="1"/></item>
                <item><title>a</title><wp:post_id>2</wp:post_id><wp:post_type>attachment</wp:post_type>
                <wp:attachment_url>file:\(secret.path)</wp:attachment_url></item>
                <item><title>b</title><wp:post_id>3</wp:post_id><wp:post_type>attachment</wp:post_type>
                <wp:attachment_url>secret.jpg</wp:attachment_url></item>
                </channel></rss>
                """
            let work = folder.appendingPathComponent("work")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try await withZippedExport([("export.xml", Data(export.utf8))], in: work) { package, database, alice, plan in
                #expect(plan.stored.isEmpty, "\(plan.stored.keys)")
                let report = try database.importIntoBlog(
                    BlogSlug(trusted: "sneaky"), owner: alice, createWith: (title: "S", language: LanguageTag(trusted: "en"))
                ) { batch in
                    try BlogImporter(media: plan).run(path: package.exportPath, into: batch)
                }
                #expect(report.mediaMoved == 0)
                #expect(report.mediaFailures.contains { $0.address == "file://\(secret.path)" && $0.reason.contains("not an http(s) address") })
                #expect(report.mediaFailures.contains { $0.address == "ftp://old.invalid/a.jpg" && $0.reason.contains("not an http(s) address") })
                #expect(report.mediaFailures.count == 4, "\(report.mediaFailures)")
            }
        }
    }

    /// WordPress writes lower-case escapes; browsers send upper case, or the raw UTF-8 of a
    /// pasted link. Every spelling of an old permalink finds its post.
    @Test func oldPermalinksMatchHoweverTheBrowserSpellsThem() async throws {
        let slugs = [
            ("caf%c3%a9-cr%c3%a8me", "café-crème"), ("%e6%97%a5%e6%9c%ac%e8%aa%9e", "日本語"),
            ("%ce%b5%ce%bb%ce%bb%ce%ac%ce%b4%ce%b1", "ελλάδα"), ("%d7%a9%d7%9c%d7%95%d7%9d", "שלום"),
        ]
        let items = slugs.enumerated().map { index, slug in
            """
            <item><title>Post \(index)</title><link>http://old.example/2010/05/\(slug.0)/</link><wp:post_id>\(index + 1)</wp:post_id>
            <wp:post_name>\(slug.0)</wp:post_name><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
            <wp:post_date_gmt>2010-05-0\(index + 1) 10:00:00</wp:post_date_gmt></item>
            """
        }.joined()
        let export =
            #"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title><link>http://old.example</link>"#
            + items + "</channel></rss>"
        try await withStore { database, alice in
            try importExport(export, into: "moved", owner: alice, database: database)
            for (encoded, raw) in slugs {
                let spellings = [
                    "http://old.example/2010/05/\(encoded)/", "http://OLD.example/2010/05/\(Self.upperCaseEscapes(encoded))",
                    "http://old.example/2010/05/\(raw)/", "http://old.example/%32010/05/\(encoded)",
                ]
                for spelling in spellings {
                    let address = try #require(OldAddress(url: spelling), "\(spelling)")
                    let found = try await database.redirect(from: address)
                    #expect(found?.target.hasPrefix("/moved/2010/05/") == true, "\(spelling)")
                }
            }
            #expect(try await database.redirect(from: #require(OldAddress(url: "http://old.example/2010/05/cafe-creme"))) == nil)
        }
    }

    /// The preview counts media as the import finds them, whatever the format: Blogger's photo
    /// in two sizes (the link to the large one around the small one) is two media, and a photo
    /// named twice is one.
    @Test(arguments: ["blogger", "rss"])
    func thePreviewCountsMediaAsTheImportDoes(_ format: String) async throws {
        let large = "https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEh/s1600/photo.jpg"
        let small = "https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEh/s320/photo.jpg"
        let html =
            #"<a href="\#(large)"><img src="\#(small)"></a> and again <img src="\#(small)"> <video src="http://old.blogspot.com/v.mp4"></video> <a href="http://old.blogspot.com/2010/05/other.html">a page</a>"#
        let escaped = html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        let export =
            format == "blogger"
            ? BloggerFixture.export(title: "Photos", html: html)
            : """
            <?xml version="1.0"?><rss version="2.0"><channel><title>Old</title><link>http://old.blogspot.com/</link>
            <item><title>Photos</title><link>http://old.blogspot.com/2010/05/photos.html</link><guid>p1</guid>
            <description>\(escaped)</description><enclosure url="\(large)" type="image/jpeg" length="1"/></item></channel></rss>
            """
        let summary = try withTemporaryFile(Data(export.utf8)) { path in try ExportSummary(path: path) }
        #expect(summary.media == 3)
        try await withStore { database, alice in
            let report = try importExport(export, into: "spaces", owner: alice, database: database)
            #expect(report.mediaMoved + report.mediaKeptAtOldAddress == summary.media)
            #expect(Set(report.mediaFailures.map(\.address)) == [large, small, "http://old.blogspot.com/v.mp4"])
        }
    }

    @Test func theReportCountsShortcodesLeftAsTextByName() async throws {
        let export = #"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><link>https://old.example</link>
            <item><title>One</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
            <content:encoded><![CDATA[[playlist ids="1,2"] and [playlist] [gallery ids="999"] [sic]]]></content:encoded></item>
            <item><title>Two</title><wp:post_id>2</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
            <content:encoded><![CDATA[[videopress OcobLTqC]]]></content:encoded></item>
            </channel></rss>
            """#
        try await withStore { database, alice in
            let report = try importExport(export, into: "codes", owner: alice, database: database)
            #expect(report.warnings.contains("2 [playlist] shortcodes left as text: ferry does not know how to show them"))
            #expect(report.warnings.contains("1 [videopress] shortcode left as text: ferry does not know how to show it"))
            #expect(report.warnings.contains { $0.hasPrefix("1 [gallery] shortcode named no photo") })
            #expect(!report.warnings.contains { $0.contains("[sic]") })
        }
    }

    /// `text` with the hex digits of its escapes in upper case, as browsers send them.
    static func upperCaseEscapes(_ text: String) -> String {
        var output = ""
        var digitsLeft = 0
        for character in text {
            if character == "%" {
                digitsLeft = 2
                output.append(character)
            } else if digitsLeft > 0 {
                digitsLeft -= 1
                output += character.uppercased()
            } else {
                output.append(character)
            }
        }
        return output
    }
}
