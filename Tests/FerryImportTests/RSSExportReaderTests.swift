import FerryCore
import FerryImport
import FerryTestSupport
import Foundation
import Testing

/// `../shared/fixtures`, beside the repository.
let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/fixtures")

func readAll(_ path: String) throws -> [ExportItem] {
    var reader = try RSSExportReader(path: path)
    var items: [ExportItem] = []
    while let item = try reader.next() { items.append(item) }
    return items
}

@Suite struct RSSExportReaderTests {
    @Test func readsWordPressThemeUnitTestData() throws {
        let items = try readAll(fixtures.appendingPathComponent("wordpress-theme-unit-test.wxr.xml").path)
        guard case .channel(let channel) = items.first else {
            Issue.record("no channel first")
            return
        }
        #expect(channel.title == "Theme Unit Test Data")
        #expect(channel.link == "https://wpthemetestdata.wordpress.com")
        #expect(channel.language == "en")

        let posts = items.compactMap { if case .post(let post) = $0 { post } else { nil } }
        let attachments = items.compactMap { if case .attachment(let attachment) = $0 { attachment } else { nil } }
        var leftBehind: [String: Int] = [:]
        for case .leftBehind(let kind, let count) in items { leftBehind[kind, default: 0] += count }

        #expect(Set(posts.map(\.sourceID)).count == posts.count, "source ids are unique")
        // Two posts were copied with their guid: the second gets its own id, deterministically.
        let copied = posts.filter { $0.sourceID.hasPrefix("https://wpthemetestdata.wordpress.com/?p=568") }
        #expect(copied.map(\.sourceID) == ["https://wpthemetestdata.wordpress.com/?p=568", "https://wpthemetestdata.wordpress.com/?p=568#wp-post-1158"])
        #expect(posts.allSatisfy { $0.publishedAt != nil })
        #expect(posts.filter { $0.kind == .page }.count > 0)
        #expect(attachments.count == 37)
        #expect(leftBehind["nav menu item"] == 70)
        #expect(leftBehind["draft"] == 1)
        #expect(leftBehind["future"] == 1)
        #expect((leftBehind["unapproved comment"] ?? 0) >= 3)

        let fontSizes = try #require(posts.first { $0.title == "WP 6.1 Font size scale" })
        #expect(fontSizes.link == "https://wpthemetestdata.wordpress.com/wp-6-1-font-size-scale/")
        #expect(fontSizes.numericID == "163")
        #expect(fontSizes.content.contains("<h2 class=\"has-small-font-size\">Small H2 Heading</h2>"))
        #expect(fontSizes.publishedAt == (try? Date("2023-01-16T07:08:31Z", strategy: .iso8601)))

        let withComments = posts.filter { !$0.comments.isEmpty }
        #expect(!withComments.isEmpty)
        let threaded = withComments.flatMap(\.comments).filter { $0.parentID != nil }
        #expect(!threaded.isEmpty, "replies keep their parent")
    }

    @Test func readsPlainRSSAsPublishedPosts() throws {
        try withTemporaryFile(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel><title>Old blog</title><link>https://old.example/</link><atom:link rel="self" href="https://feeds.old.example/main" type="application/rss+xml"/>
            <item><title>First &amp; best</title><link>https://old.example/first</link><guid>tag:old.example,2010:1</guid>
              <pubDate>Tue, 02 Mar 2010 10:00:00 +0100</pubDate><category>travel</category><category>food</category>
              <description>&lt;p&gt;summary&lt;/p&gt;</description><content:encoded><![CDATA[<p>full</p>]]></content:encoded>
              <enclosure url="https://old.example/v.mp4" type="video/mp4" length="1"/></item>
            <item><title>No guid</title><link>https://old.example/second</link><description>&lt;p&gt;only a description&lt;/p&gt;</description></item>
            </channel></rss>
            """
        ) { path in
            let items = try readAll(path)
            #expect(
                items.first
                    == .channel(ExportChannel(title: "Old blog", link: "https://old.example/", language: nil, feeds: ["https://feeds.old.example/main"])))
            let posts = items.compactMap { if case .post(let post) = $0 { post } else { nil } }
            #expect(posts.map(\.title) == ["First & best", "No guid"])
            #expect(posts[0].sourceID == "tag:old.example,2010:1")
            #expect(posts[0].content == "<p>full</p>")
            #expect(posts[0].tags == ["travel", "food"])
            #expect(posts[0].enclosures == ["https://old.example/v.mp4"])
            #expect(posts[0].publishedAt == (try? Date("2010-03-02T09:00:00Z", strategy: .iso8601)))
            #expect(posts[1].sourceID == "https://old.example/second")
            #expect(posts[1].content == "<p>only a description</p>")
        }
    }

    /// The reader sees libxml2's SAX events through a queue fed a piece of the file at a time:
    /// what real exports do at the edges of XML must read as it did with libxml2's own reader.
    @Test func readsTheEdgesOfXMLAsExportsWriteThem() throws {
        // Content long enough to cross several pieces of the file, and one piece's boundary
        // inside a character of several bytes.
        let long = String(repeating: "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich. ", count: 20_000)
        try withTemporaryFile(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><link>https://old.example</link>
            <item/>
            <item><title>Undeclared &amp; read</title><link>https://old.example/a/</link>
              <guid isPermaLink="false">https://old.example/?p=1&amp;x=&#38;y&#38;#38;</guid><!-- a comment -->
              <content:encoded><![CDATA[<p>body</p>]]></content:encoded><?processing instruction?>
              <enclosure xml:url="https://wrong.example/" url="https://old.example/v.mp4?a=1&amp;b=2&#60;" length="1"/>
              <category domain="post_tag"><![CDATA[a & b]]> &amp; <![CDATA[c]]></category></item>
            <item><title>Long</title><link>https://old.example/long/</link><description>\(long)</description></item>
            </channel></rss>
            """
        ) { path in
            let posts = try readAll(path).compactMap { if case .post(let post) = $0 { post } else { nil } }
            #expect(posts.map(\.title) == ["Undeclared & read", "Long"], "an empty <item/> ends where it starts")
            // A prefix without a namespace declaration names the element (as libxml2's reader did).
            #expect(posts.first?.content == "<p>body</p>")
            #expect(posts.first?.sourceID == "https://old.example/?p=1&x=&y&#38;")
            #expect(posts.first?.enclosures == ["https://old.example/v.mp4?a=1&b=2<"])
            #expect(posts.first?.tags == ["a & b & c"])
            #expect(posts.last?.content == long)
        }
    }

    /// The parser is fed bytes, not text: the export's own declaration (or byte order mark) says
    /// how to read them.
    @Test(arguments: [String.Encoding.isoLatin1, .utf16, .utf8])
    func readsTheEncodingTheExportDeclares(_ encoding: String.Encoding) throws {
        let name =
            switch encoding {
            case .isoLatin1: "ISO-8859-1"
            case .utf16: "UTF-16"
            default: "UTF-8"
            }
        let xml = """
            <?xml version="1.0" encoding="\(name)"?>
            <rss version="2.0"><channel><title>Café</title><link>https://old.example</link>
            <item><title>Crème brûlée</title><link>https://old.example/creme/</link><description>&lt;p&gt;Déjà vu&lt;/p&gt;</description></item>
            </channel></rss>
            """
        let bytes = try #require(xml.data(using: encoding))
        try withTemporaryFile(bytes) { path in
            let items = try readAll(path)
            guard case .channel(let channel) = items.first else {
                Issue.record("no channel first")
                return
            }
            #expect(channel.title == "Café")
            let posts = items.compactMap { if case .post(let post) = $0 { post } else { nil } }
            #expect(posts.map(\.title) == ["Crème brûlée"])
            #expect(posts.first?.content == "<p>Déjà vu</p>")
        }
    }

    @Test(arguments: [
        (
            "billion laughs",
            #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>"#,
            "document type"
        ),
        (
            "external entity",
            #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>"#,
            "document type"
        ),
        ("external DTD", #"<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd"><rss><channel/></rss>"#, "document type"),
        (
            "quadratic blow-up",
            #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a ""# + String(repeating: "a", count: 50_000) + #"">]><rss><channel><item><title>"#
                + String(repeating: "&a;", count: 50_000) + "</title></item></channel></rss>", "document type"
        ),
        ("parameter entity to loopback", #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]><rss/>"#, "document type"),
        ("NUL byte", "<rss><channel><item><title>a\u{0}b</title></item></channel></rss>", "XML"),
        ("undeclared entity", #"<rss><channel><item><title>&nbsp;</title></item></channel></rss>"#, "XML"),
        ("truncated", #"<rss><channel><item><title>cut"#, "XML"),
        ("mis-nested", #"<rss><channel><item><title>x</item></title></channel></rss>"#, "XML"),
        ("not RSS", #"<html><body>hi</body></html>"#, "not an RSS export"),
        ("empty", "", "XML"),
    ])
    func refusesHostileAndBrokenExports(_ name: String, _ xml: String, _ reason: String) throws {
        try withTemporaryFile(xml) { path in
            #expect {
                _ = try readAll(path)
            } throws: { error in
                (error as? FerryError)?.message.contains(reason) == true
            }
        }
    }

    @Test func refusesInvalidUTF8() throws {
        var bytes = Array(#"<?xml version="1.0" encoding="UTF-8"?><rss><channel><item><title>"#.utf8)
        bytes += [0xC0, 0xAF, 0xFF]
        bytes += Array("</title></item></channel></rss>".utf8)
        try withTemporaryFile(Data(bytes)) { path in
            let error = #expect(throws: FerryError.self) { _ = try readAll(path) }
            #expect(error?.code == .unreadableExport)
        }
    }
}
