import Foundation
import Testing

@testable import FerryRender

@Suite struct HTMLSanitizerTests {
    let sanitizer = HTMLSanitizer()

    /// Well-known XSS vectors (OWASP's filter evasion cheat sheet and friends) with what must
    /// remain of each: the writing, never the code.
    static let vectors: [(input: String, expected: String)] = [
        ("<script>alert(1)</script>", ""),
        ("<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>", ""),
        ("<p>hi<script>alert(1)</script></p>", "<p>hi</p>"),
        ("<img src=x onerror=alert(1)>", #"<img src="x">"#),
        ("<IMG SRC=\"javascript:alert('XSS');\">", ""),
        ("<IMG SRC=JaVaScRiPt:alert('XSS')>", ""),
        ("<img src=\"jav\tascript:alert(1)\">", ""),
        ("<img src=\"jav&#x09;ascript:alert(1)\">", ""),
        ("<img src=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">", ""),
        ("<img src=\" &#14;  javascript:alert(1);\">", ""),
        (#"<img src="data:image/svg+xml;base64,PHN2Zz4=">"#, ""),
        (#"<a href="javascript:alert(1)">x</a>"#, "<a>x</a>"),
        (#"<a href="JAVASCRIPT:alert(1)">x</a>"#, "<a>x</a>"),
        (#"<a href="java&#x0A;script:alert(1)">x</a>"#, "<a>x</a>"),
        (#"<a href="vbscript:msgbox(1)">x</a>"#, "<a>x</a>"),
        (#"<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>"#, "<a>x</a>"),
        (#"<a href="https://example.com/" onclick="alert(1)" target="_blank">x</a>"#, #"<a href="https://example.com/" rel="nofollow ugc noopener">x</a>"#),
        ("<svg onload=alert(1)>", ""),
        ("<svg><script>alert(1)</script></svg>", ""),
        ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", ""),
        ("<iframe src=\"javascript:alert(1)\"></iframe>", ""),
        ("<iframe src=https://example.com/></iframe>after", "after"),
        ("<object data=\"javascript:alert(1)\"></object>", ""),
        ("<embed src=\"https://evil.example/x.swf\">", ""),
        ("<form action=\"https://evil.example\"><input name=p><button>Go</button></form>", ""),
        ("<style>body{background:red}</style><p>x</p>", "<p>x</p>"),
        (#"<div style="background:url(javascript:alert(1))">x</div>"#, "<div>x</div>"),
        ("<body onload=alert(1)>x", "x"),
        (#"<meta http-equiv="refresh" content="0;url=javascript:alert(1)">x"#, "x"),
        (#"<base href="javascript:alert(1)//">x"#, "x"),
        ("<link rel=stylesheet href=https://evil.example/x.css>x", "x"),
        ("<!--<script>alert(1)</script>-->x", "x"),
        ("\"><script>alert(1)</script>", "\"&gt;"),
        ("<video src=x onerror=alert(1) controls></video>", #"<video src="x" controls></video>"#),
        ("<audio src=\"javascript:alert(1)\" controls></audio>", "<audio controls></audio>"),
        ("<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>", "<table><tr><td>x</td></tr></table>"),
        ("<p title=\"&quot; onmouseover=alert(1) &quot;\">x</p>", #"<p title="&quot; onmouseover=alert(1) &quot;">x</p>"#),
        ("<blockquote cite=\"javascript:alert(1)\">q</blockquote>", "<blockquote>q</blockquote>"),
        ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", ""),
        ("<template><script>alert(1)</script></template>x", "x"),
    ]

    @Test(arguments: vectors)
    func removesWhatCouldRunCode(_ vector: (input: String, expected: String)) {
        let output = sanitizer.sanitize(vector.input)
        #expect(output == vector.expected)
        for forbidden in [
            "<script", "javascript:", "onerror", "onload", "onclick", "<iframe", "<svg", "<style", "style=", "<object", "<embed", "<form", "data:",
        ] {
            #expect(!output.lowercased().contains(forbidden), "\(forbidden) survived in \(output)")
        }
    }

    static let writing: [(input: String, expected: String)] = [
        ("<p>Hello <strong>world</strong>, <em>again</em></p>", "<p>Hello <strong>world</strong>, <em>again</em></p>"),
        (
            "<h2>Title</h2><ul><li>one</li><li>two</li></ul><ol start=\"3\"><li>three</li></ol>",
            "<h2>Title</h2><ul><li>one</li><li>two</li></ul><ol start=\"3\"><li>three</li></ol>"
        ),
        (#"<a href="https://example.com/a?b=1&amp;c=2">link</a>"#, #"<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">link</a>"#),
        (
            #"<a href="/travels/2026/11/x">relative</a> <a href="mailto:me@example.com">mail</a>"#,
            #"<a href="/travels/2026/11/x" rel="nofollow ugc noopener">relative</a> <a href="mailto:me@example.com" rel="nofollow ugc noopener">mail</a>"#
        ),
        (
            #"<img src="https://example.com/p.jpg" alt="A &quot;view&quot;" width="640" height="abc">"#,
            #"<img src="https://example.com/p.jpg" alt="A &quot;view&quot;" width="640">"#
        ),
        (#"<video src="/media/v.mp4" controls poster="/media/p.jpg"></video>"#, #"<video src="/media/v.mp4" controls poster="/media/p.jpg"></video>"#),
        (
            #"<video controls><source src="/media/v.webm" type="video/webm"></video>"#,
            #"<video controls><source src="/media/v.webm" type="video/webm"></video>"#
        ),
        (
            "<table><thead><tr><th scope=\"col\">h</th></tr></thead><tbody><tr><td colspan=\"2\">d</td></tr></tbody></table>",
            "<table><thead><tr><th scope=\"col\">h</th></tr></thead><tbody><tr><td colspan=\"2\">d</td></tr></tbody></table>"
        ),
        (
            "<pre><code class=\"language-swift evil\">let x = 1 &lt; 2\n  indented</code></pre>",
            "<pre><code class=\"language-swift\">let x = 1 &lt; 2\n  indented</code></pre>"
        ),
        ("<blockquote cite=\"https://example.com\"><p>quoted</p></blockquote>", "<blockquote cite=\"https://example.com\"><p>quoted</p></blockquote>"),
        ("Fish &amp; chips, 1 < 2 and 3 > 2", "Fish &amp; chips, 1 &lt; 2 and 3 &gt; 2"),
        ("<p>Ünïcödé ✓ 日本語 — привет</p>", "<p>Ünïcödé ✓ 日本語 — привет</p>"),
        ("<font color=red><center>kept text</center></font>", "kept text"),
        ("line<br>break<hr>", "line<br>break<hr>"),
    ]

    @Test(arguments: writing)
    func keepsTheWriting(_ sample: (input: String, expected: String)) {
        #expect(sanitizer.sanitize(sample.input) == sample.expected)
    }

    @Test func emptyAndTextOnlyInput() {
        #expect(sanitizer.sanitize("") == "")
        #expect(sanitizer.sanitize("plain words") == "plain words")
        #expect(sanitizer.sanitize("<p>unclosed <b>bold") == "<p>unclosed <b>bold</b></p>")
    }

    @Test func controlCharactersThatXMLCannotHoldAreDropped() {
        #expect(sanitizer.sanitize("<p>a\u{1}b\u{B}c</p>") == "<p>abc</p>")
    }

    /// One parser context reset between inputs reads each one as a fresh parser does, whatever
    /// came before it (unclosed elements, a charset declaration, deep nesting), also after the
    /// context has been renewed (every 1,000 inputs).
    @Test func aSessionReadsEachInputAsAFreshParserDoes() {
        let unsettling = [
            "<p>unclosed <b>bold", "<meta charset=\"iso-8859-1\"><p>Ünï</p>", String(repeating: "<div>", count: 300) + "deep", "<table><tr><td>open", "",
        ]
        let inputs = (Self.vectors + Self.writing).map(\.input) + unsettling
        let session = HTMLSanitizer.Session()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<(1_100 / inputs.count + 1) {
            for input in inputs.shuffled(using: &generator) {
                #expect(session.sanitize(input) == sanitizer.sanitize(input), "\(input)")
            }
        }
    }

    /// libxml2 stops reading at 256 levels; what it read is written at most 64 levels deep.
    @Test func deepNestingNeitherCrashesNorKeepsEveryLevel() {
        let depth = 20_000
        let input = "<p>top</p>" + String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth)
        let output = sanitizer.sanitize(input)
        #expect(output.hasPrefix("<p>top</p><div><div>"))
        #expect(output.components(separatedBy: "<div>").count - 1 <= 64)
        #expect(output.components(separatedBy: "<div>").count == output.components(separatedBy: "</div>").count)
    }
}

@Suite struct MediaAddressTests {
    @Test func mediaAddressesCanBeReplacedAndOnlyThose() {
        var seen: [String] = []
        var links: [String] = []
        let html =
            #"<p><img src="https://old.example/a.jpg"><a href="https://old.example/a.jpg">link</a></p><video src="v.mp4" poster="p.jpg"><source src="v.webm"></video><img src="javascript:x"><a href="javascript:y">x</a><blockquote cite="c.jpg">q</blockquote>"#
        let output = HTMLSanitizer().sanitize(html) { url, reference in
            guard reference == .embedded else {
                links.append(url)
                return "/media/link"
            }
            seen.append(url)
            return url == "v.webm" ? nil : "/media/\(seen.count)"
        }
        #expect(seen == ["https://old.example/a.jpg", "v.mp4", "p.jpg", "v.webm"])
        #expect(links == ["https://old.example/a.jpg"])
        #expect(
            output
                == #"<p><img src="/media/1"><a href="/media/link" rel="nofollow ugc noopener">link</a></p><video src="/media/2" poster="/media/3"><source src="v.webm"></video><a>x</a><blockquote cite="c.jpg">q</blockquote>"#
        )
    }

    /// The direct reading of the simplest HTML shows links to the rewriter as libxml2's does.
    @Test func simpleHTMLShowsItsLinksToo() {
        let html = #"<p>See <a href="https://old.example/big.jpg">the photo</a>.</p>"#
        #expect(SimpleHTML.sanitize(html) != nil)
        let output = HTMLSanitizer().sanitize(html) { url, reference in reference == .link && url.hasSuffix(".jpg") ? "/media/x.jpg" : nil }
        #expect(output == #"<p>See <a href="/media/x.jpg" rel="nofollow ugc noopener">the photo</a>.</p>"#)
    }

    @Test func galleriesKeepOnlyTheirOwnClasses() {
        let html = #"<figure class="gallery gallery-columns-3 evil x-gallery gallery-columns-10"><img src="a.jpg"></figure><p class="gallery">p</p>"#
        #expect(HTMLSanitizer().sanitize(html) == #"<figure class="gallery gallery-columns-3"><img src="a.jpg"></figure><p>p</p>"#)
    }
}
