import Foundation
import Testing

@testable import FerryRender

/// `SimpleHTML` must give exactly what libxml2's reading gives, for every input it takes.
@Suite struct SimpleHTMLTests {
    static let texts = [
        "hello", "two words", " lead", "trail ", "\n", " ", "\t", "x > y", "\"quoted\"", "it's", "Ünïcödé", "日本語", "，",
        "a&b", "&amp;", "\u{1}", "\r\n", "\u{7F}", "\u{85}", "\u{A0}", "]]>", "--", "a\nb", "<", ">",
    ]
    static let inline = ["em", "strong", "b", "i", "code"]
    static let tags = [
        "<p>", "</p>", "<em>", "</em>", "<strong>", "</strong>", "<b>", "</b>", "<i>", "</i>", "<code>", "</code>",
        "<br>", "<br/>", "<br />", "</br>", "</a>", "<P>", "<div>", "</div>", "<script>", "<img src=\"x.jpg\">", "<!-- c -->",
        "<a href=\"https://example.org/x?a=1\">", "<a href=\"/local\">", "<a href=\"javascript:alert(1)\">", "<a href=\"mailto:a@b.example\">",
        "<a title=\"t\" href=\"https://e.example\">", "<a href=\"javascript:x\" href=\"https://e.example\">", "<a onclick=\"x\">",
        "<a  href=\"https://e.example\" >", "<a href=\"java\tscript:x\">", "<a href='x'>", "<a href=x>", "<a href=\"\">", "<a title=\"a\"href=\"b\">",
        "<code class=\"language-swift evil\">", "<p title=\"x\">", "<p class=\"x\">", "<em title=\"\">", "<p lang=\"en\" dir=\"rtl\">",
    ]

    /// A well-nested document of paragraphs, inline elements and text.
    static func document(using generator: inout some RandomNumberGenerator) -> String {
        func inlineContent(_ depth: Int) -> String {
            (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                if depth < 3, Bool.random(using: &generator) {
                    let name = inline.randomElement(using: &generator) ?? "em"
                    return "<\(name)>" + inlineContent(depth + 1) + "</\(name)>"
                }
                if Int.random(in: 0..<8, using: &generator) == 0 { return "<br>" }
                if Int.random(in: 0..<6, using: &generator) == 0 { return "<a href=\"https://example.org/\(depth)\">link</a>" }
                return texts.randomElement(using: &generator) ?? "x"
            }.joined()
        }
        return (0..<Int.random(in: 1...4, using: &generator)).map { _ in
            Bool.random(using: &generator) ? "<p>" + inlineContent(0) + "</p>" : inlineContent(0)
        }.joined()
    }

    /// Random documents from a seed: `FERRY_TEST_SEED` replays a failing run, whose seed is
    /// in every failure's message.
    @Test func takesOnlyWhatItReadsAsLibXML2Does() {
        let seed = ProcessInfo.processInfo.environment["FERRY_TEST_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: .min ... .max)
        var generator = SeededGenerator(seed: seed)
        let sanitizer = HTMLSanitizer()
        var taken = 0
        for round in 0..<6_000 {
            let input =
                round.isMultiple(of: 2)
                ? Self.document(using: &generator)
                : (0..<Int.random(in: 0...10, using: &generator)).map { _ in
                    (Bool.random(using: &generator) ? Self.texts : Self.tags).randomElement(using: &generator) ?? ""
                }.joined()
            guard let simple = SimpleHTML.sanitize(input) else { continue }
            taken += 1
            #expect(simple == sanitizer.sanitizeByParsing(input), "FERRY_TEST_SEED=\(seed): \(input.debugDescription)")
        }
        #expect(taken > 1_000)
    }

    @Test(arguments: [
        "<p>Comment 0 on post 0</p>", "plain text", "<p>a <a href=\"https://example.org/0\">link</a>.</p><p>two</p>",
        "<em>x</em> y", "line<br>break",
    ])
    func takesTheSimplestWriting(_ input: String) {
        #expect(SimpleHTML.sanitize(input) != nil)
    }

    @Test(arguments: [
        "<p>a</p>\n<p>b</p>", "<script>x</script>", "a &amp; b", "<p><p>x</p></p>", "<em><em>x</em></em>", "<em><p>x</p></em>",
        "<P>x</P>", "<p>unclosed", "x</em>", "<a href=x>y</a>", "<img src=\"a.jpg\">",
    ])
    func leavesEverythingElseToLibXML2(_ input: String) {
        #expect(SimpleHTML.sanitize(input) == nil)
    }
}

/// SplitMix64: the same numbers for the same seed, on every machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
