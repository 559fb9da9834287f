import FerryRender
import FerryTestSupport
import Foundation
import Testing

@Suite struct AtomDocumentTests {
    static let awkward = "Fish & chips <b>not bold</b> ]]> \"quoted\" 'single' — Ünïcödé 日本語 \u{1}"

    func document(entries: [AtomEntry], isArchive: Bool = false) -> AtomDocument {
        AtomDocument(
            id: "urn:uuid:6f1c1a58-8d0e-4b8e-9d3e-1c2b3a4d5e6f", title: Self.awkward, updated: Date(timeIntervalSince1970: 1_800_000_000),
            language: "en-GB", base: "http://localhost:8080/", author: AtomPerson(name: "Alice & Co", uri: "http://localhost:8080/people/alice"),
            links: [AtomLink(rel: "self", href: "/travels/feed.atom?a=1&b=2"), AtomLink(rel: "alternate", href: "/travels/", type: "text/html")],
            isArchive: isArchive, entries: entries
        )
    }

    func entry(_ id: String, comments: Int = 0) -> AtomEntry {
        AtomEntry(
            id: id, title: Self.awkward, published: Date(timeIntervalSince1970: 1_700_000_000), updated: Date(timeIntervalSince1970: 1_700_000_500),
            url: "/travels/2023/11/x", contentHTML: "<p>\(MarkupEscaping.text(Self.awkward))</p><![CDATA[ ]]>",
            categories: ["tag & more", "ünï"], commentCount: comments
        )
    }

    @Test func escapesEverythingAndParsesAsAValidFeed() throws {
        let xml = document(entries: [entry("urn:uuid:1", comments: 3), entry("urn:uuid:2")]).render()
        #expect(!xml.contains("]]>"))
        let feed = try parseAtomFeed(Data(xml.utf8))
        let expectedText = String(Self.awkward.dropLast())
        #expect(feed.title == expectedText)
        #expect(feed.language == "en-GB")
        #expect(feed.links["self"] == "/travels/feed.atom?a=1&b=2")
        #expect(!feed.isArchive)
        #expect(feed.entries.map(\.id) == ["urn:uuid:1", "urn:uuid:2"])
        #expect(feed.entries[0].title == expectedText)
        #expect(feed.entries[0].content.hasPrefix("<p>Fish &amp; chips &lt;b&gt;"))
        #expect(feed.entries[0].categories == ["tag & more", "ünï"])
        #expect(feed.entries[0].commentTotal == 3)
        #expect(feed.entries[1].commentTotal == nil)
    }

    @Test func archivesAreMarked() throws {
        let feed = try parseAtomFeed(Data(document(entries: [], isArchive: true).render().utf8))
        #expect(feed.isArchive)
    }

    @Test func theValidatorRefusesRepeatedEntryIDs() {
        let xml = document(entries: [entry("urn:uuid:same"), entry("urn:uuid:same")]).render()
        #expect(throws: FeedProblem.self) { try parseAtomFeed(Data(xml.utf8)) }
    }
}

@Suite struct MarkupEscapingTests {
    @Test func escapesMarkupAndDropsWhatXMLForbids() {
        #expect(MarkupEscaping.text("Plain text, ünïcödé 日本語\t\n") == "Plain text, ünïcödé 日本語\t\n")
        #expect(MarkupEscaping.text(#"a & b < c > "d" 'e'"#) == #"a &amp; b &lt; c &gt; "d" 'e'"#)
        #expect(MarkupEscaping.attribute(#"a & "d" 'e'"#) == "a &amp; &quot;d&quot; &#39;e&#39;")
        #expect(MarkupEscaping.text("a\u{0}b\u{1B}c\u{FFFE}d\u{FFFF}e") == "abcde")
        #expect(MarkupEscaping.text("\u{FEFF}\u{F000}kept") == "\u{FEFF}\u{F000}kept", "other characters starting with 0xEF stay")
    }
}

/// The exact bytes of a small feed: readers and caches see these, so a change to them is a
/// decision, not an accident.
struct AtomDocumentGoldenTests {
    @Test func aSmallFeedIsWrittenByteForByte() {
        let document = AtomDocument(
            id: "urn:uuid:00000000-0000-4000-8000-000000000001", title: "Tom & Jerry", updated: Date(timeIntervalSince1970: 1_800_000_000),
            language: "fi", base: "https://blogs.example/", author: AtomPerson(name: "Ada <L>", uri: "https://blogs.example/people/ada"),
            links: [AtomLink(rel: "self", href: "/tj/feed.atom", type: "application/atom+xml"), AtomLink(rel: "alternate", href: "/tj/?a=1&b=2")],
            isArchive: true,
            entries: [
                AtomEntry(
                    id: "tag:old.example,2010:1", title: "\"Quoted\"", published: Date(timeIntervalSince1970: 1_262_304_000),
                    updated: Date(timeIntervalSince1970: 1_262_304_061), url: "/tj/2010/01/quoted", contentHTML: "<p>a &amp; b</p>",
                    categories: ["x&y"], commentCount: 2
                ),
                AtomEntry(
                    id: "tag:old.example,2010:2", title: "Second", published: Date(timeIntervalSince1970: 1_262_307_600),
                    updated: Date(timeIntervalSince1970: 1_262_307_600), url: "/tj/2010/01/second", contentHTML: "",
                    categories: [], commentCount: 0, author: AtomPerson(name: "Bob")
                ),
            ]
        )
        #expect(
            document.render() == """
                <?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0" \
                xmlns:fh="http://purl.org/syndication/history/1.0" xml:lang="fi" xml:base="https://blogs.example/">
                <id>urn:uuid:00000000-0000-4000-8000-000000000001</id>
                <title type="text">Tom &amp; Jerry</title>
                <updated>2027-01-15T08:00:00Z</updated>
                <author><name>Ada &lt;L&gt;</name><uri>https://blogs.example/people/ada</uri></author>
                <link rel="self" href="/tj/feed.atom" type="application/atom+xml"/>
                <link rel="alternate" href="/tj/?a=1&amp;b=2"/>
                <fh:archive/>
                <generator>ferry</generator>
                <entry>
                <id>tag:old.example,2010:1</id>
                <title type="text">"Quoted"</title>
                <published>2010-01-01T00:00:00Z</published>
                <updated>2010-01-01T00:01:01Z</updated>
                <link rel="alternate" type="text/html" href="/tj/2010/01/quoted"/>
                <category term="x&amp;y"/>
                <link rel="replies" type="text/html" href="/tj/2010/01/quoted#comments" thr:count="2"/>
                <thr:total>2</thr:total>
                <content type="html">&lt;p&gt;a &amp;amp; b&lt;/p&gt;</content>
                </entry>
                <entry>
                <id>tag:old.example,2010:2</id>
                <title type="text">Second</title>
                <published>2010-01-01T01:00:00Z</published>
                <updated>2010-01-01T01:00:00Z</updated>
                <author><name>Bob</name></author>
                <link rel="alternate" type="text/html" href="/tj/2010/01/second"/>
                <content type="html"></content>
                </entry>
                </feed>

                """)
    }
}
