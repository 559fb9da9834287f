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
