import FerryRender
import Testing

/// A title sent as HTML becomes the text it shows.
@Suite struct PlainTextTests {
    @Test(arguments: [
        ("Fish &amp; <em>chips</em>", "Fish & chips"),
        ("<b>Caf&eacute;</b> &#233;t&#xE9; &#x1F30A;", "Caf&eacute; été 🌊"),
        ("  two\n  lines&nbsp;here ", "two lines here"),
        ("a &b c & d &lt;3", "a &b c & d <3"),
        ("wor<b>l</b>d <script>x</script>", "world x"),
        ("&#0; &#x110000; &#;", "&#0; &#x110000; &#;"),
    ])
    func htmlBecomesText(html: String, text: String) {
        #expect(PlainText.fromHTML(html) == text)
    }
}
