import FerryRender
import Foundation
import Testing

@testable import FerryImport

/// Shortcodes, links alone on a line and paragraphs, as WordPress shows them.
@Suite struct WordPressContentTests {
    var attachments: AttachmentIndex {
        var index = AttachmentIndex()
        for (id, parent, url) in [
            ("11", "1", "http://old.example/a.jpg"), ("12", "1", "http://old.example/b.png"), ("13", "1", "http://old.example/song.mp3"),
            ("14", "2", "http://old.example/other.jpg"), ("15", "1", "http://old.example/clip.mp4"),
        ] {
            index.add(ExportedAttachment(sourceID: "s\(id)", url: url, numericID: id, parentNumericID: parent))
        }
        return index
    }

    /// What the post's reader sees: rendered, then sanitized as every import is.
    func shown(_ text: String, postID: String? = "1") -> (html: String, content: WordPressContent) {
        var content = WordPressContent(attachments: attachments, postID: postID)
        let rendered = content.render(text)
        return (HTMLSanitizer().sanitize(rendered), content)
    }

    @Test func captionsBecomeFigures() {
        let linked = shown(
            #"[caption id="attachment_612" align="aligncenter" width="640"]<a href="http://old.example/a.jpg"><img src="http://old.example/a-300.jpg" alt="" /></a> A <em>windy</em> day[/caption]"#
        ).html
        #expect(
            linked
                == #"<figure><a href="http://old.example/a.jpg" rel="nofollow ugc noopener"><img src="http://old.example/a-300.jpg" alt=""></a><figcaption>A <em>windy</em> day</figcaption></figure>"#
        )
        let attribute = shown(#"[caption caption="Chunk of husk"]<img src="http://old.example/a.jpg">[/caption]"#).html
        #expect(attribute == #"<figure><img src="http://old.example/a.jpg"><figcaption>Chunk of husk</figcaption></figure>"#)
    }

    @Test func galleriesShowTheirPhotosInColumns() {
        let attached = shown("[gallery columns=\"2\"]").html
        #expect(
            attached
                == #"<figure class="gallery gallery-columns-2"><a href="http://old.example/a.jpg" rel="nofollow ugc noopener"><img src="http://old.example/a.jpg" alt=""></a><a href="http://old.example/b.png" rel="nofollow ugc noopener"><img src="http://old.example/b.png" alt=""></a></figure>"#
        )
        let named = shown(#"[gallery ids="14,11" link="none" columns=40]"#).html
        #expect(
            named
                == #"<figure class="gallery gallery-columns-9"><img src="http://old.example/other.jpg" alt=""><img src="http://old.example/a.jpg" alt=""></figure>"#
        )
        #expect(shown(#"[gallery exclude="11"]"#).html.contains("b.png") && !shown(#"[gallery exclude="11"]"#).html.contains("a.jpg"))
    }

    @Test func audioAndVideoGetPlayers() {
        #expect(shown("[audio https://old.example/blues.mp3]").html == #"<audio controls src="https://old.example/blues.mp3"></audio>"#)
        #expect(
            shown(#"[audio mp3="http://old.example/x.mp3" ogg="http://old.example/x.ogg"][/audio]"#).html
                == #"<audio controls><source src="http://old.example/x.mp3"><source src="http://old.example/x.ogg"></audio>"#)
        #expect(shown("[audio]").html == #"<audio controls src="http://old.example/song.mp3"></audio>"#)
        #expect(
            shown(#"[video width="640" height="360" mp4="http://old.example/v.mp4" poster="http://old.example/p.jpg"][/video]"#).html
                == #"<video controls src="http://old.example/v.mp4" poster="http://old.example/p.jpg" width="640" height="360"></video>"#)
        #expect(shown("[video]").html == #"<video controls src="http://old.example/clip.mp4"></video>"#)
    }

    @Test func embedsAndAddressesAloneOnALineBecomeLinks() {
        #expect(
            shown("[embed]https://www.youtube.com/watch?v=SQEQr7c0-dw[/embed]").html
                == #"<p><a href="https://www.youtube.com/watch?v=SQEQr7c0-dw" rel="nofollow ugc noopener">https://www.youtube.com/watch?v=SQEQr7c0-dw</a></p>"#)
        let text = "Look:\n\nhttps://twitter.com/wordpress\n\nhttps://old.example/talk.mp3\n\nSee https://inline.example too"
        #expect(
            shown(text).html
                == #"<p>Look:</p><p><a href="https://twitter.com/wordpress" rel="nofollow ugc noopener">https://twitter.com/wordpress</a></p><audio controls src="https://old.example/talk.mp3"></audio><p>See https://inline.example too</p>"#
                .replacingOccurrences(of: "</p><", with: "</p>\n<").replacingOccurrences(of: "</audio><", with: "</audio>\n<") + "\n")
    }

    @Test func blankLinesMakeParagraphsAndLineBreaksBreaks() {
        let text = "First line\nsecond line\n\n<ul>\n<li>kept</li>\n</ul>\n\n<pre>keep\n\nthis</pre>\nLast"
        #expect(WordPressParagraphs.apply(text) == "<p>First line<br>\nsecond line</p>\n<ul>\n<li>kept</li>\n</ul>\n<pre>keep\n\nthis</pre><p>Last</p>\n")
        #expect(WordPressParagraphs.apply("<p>Already HTML</p>") == "<p>Already HTML</p>")
    }

    @Test func unknownShortcodesStayAsTextAndAreCounted() {
        let (html, content) = shown(#"[videopress OcobLTqC][playlist ids="1,2"] a [sic] and [[gallery]] [contact-form][/contact-form]"#)
        #expect(html == #"[videopress OcobLTqC][playlist ids="1,2"] a [sic] and [gallery] [contact-form][/contact-form]"#)
        #expect(content.unknown == ["videopress": 1, "playlist": 1, "contact-form": 1])
    }

    /// Shortcodes are hostile input too: whatever they hold ends as inert text or a clean figure.
    @Test func hostileShortcodesEndInertOrClean() {
        let script = shown(#"[caption caption="<script>alert(1)</script>Hi"]<img src="x.jpg" onerror="alert(2)">[/caption]"#).html
        #expect(script == #"<figure><img src="x.jpg"><figcaption>Hi</figcaption></figure>"#)
        let breakout = shown(#"[audio src="http://old.example/a.mp3&quot;&gt;&lt;script&gt;" mp3='"><script>alert(1)</script>']"#).html
        #expect(!breakout.contains("<script"))
        #expect(shown(#"[audio src="javascript:alert(1)"]"#).html == #"[audio src="javascript:alert(1)"]"#)
        #expect(shown(#"[caption id="x"]<img src="a.jpg"> never closed"#).html == #"[caption id="x"]<img src="a.jpg"> never closed"#)
        let nested = shown("[caption][caption][caption]<img src=\"a.jpg\">deep[/caption][/caption][/caption]").html
        #expect(!nested.contains("<script") && nested.hasPrefix("<figure>"))
        let many = "[gallery " + (0..<500).map { "a\($0)=\"\($0)\"" }.joined(separator: " ") + "]"
        #expect(shown(many).html == many)
        let (empty, content) = shown(#"[gallery ids="999,abc,../../etc"]"#)
        #expect(empty.isEmpty)
        #expect(content.emptyGalleries == 1)
        #expect(shown("[gallery]", postID: "77").html.isEmpty, "another post's photos are never shown")
        #expect(shown("[[[[[[[[").html == "[[[[[[[[")
        #expect(shown(String(repeating: "[caption]", count: 5_000)).html.count <= 5_000 * 9)
        // A megabyte of would-be shortcodes costs bounded work and loses none of its text.
        let flood = String(repeating: "[x a=1][caption]<img src=\"a.jpg\">", count: 40_000)
        let (rendered, counted) = shown(flood)
        #expect(rendered.contains("[x a=1]") && counted.unknown["x"] ?? 0 <= 1_000)
    }
}
