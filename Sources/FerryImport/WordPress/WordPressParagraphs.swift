import FerryCore
import Foundation

/// WordPress stores posts and comments with blank lines between paragraphs and adds the
/// `<p>` and `<br>` when it shows them (`wpautop`); ferry adds them once, at import.
enum WordPressParagraphs {
    /// Elements that make a block of their own: text next to them is not wrapped in `<p>`.
    private static let blockElements: Set<String> = [
        "address", "article", "aside", "audio", "blockquote", "caption", "col", "colgroup", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "math", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "ul", "video", "style", "script", "iframe", "object", "noscript",
    ]

    /// `text` with its blank-line paragraphs wrapped in `<p>` and single line breaks inside them
    /// made `<br>`; text inside `<pre>` keeps its lines. Text without a line break is returned as
    /// is, and so is a block editor's post (`<!-- wp:… -->`), which WordPress shows as written.
    static func apply(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\n")), !text.contains("<!-- wp:") else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 64)
        for (isPreformatted, piece) in preformattedSplit(text.replacingOccurrences(of: "\r\n", with: "\n")) {
            output += isPreformatted ? piece : paragraphs(piece)
        }
        return output
    }

    /// The text cut into runs outside and inside `<pre>…</pre>` (the latter kept whole).
    private static func preformattedSplit(_ text: String) -> [(Bool, String)] {
        var pieces: [(Bool, String)] = []
        var rest = Substring(text)
        while let start = rest.range(of: "<pre", options: .caseInsensitive) {
            guard let end = rest[start.upperBound...].range(of: "</pre>", options: .caseInsensitive) else { break }
            pieces.append((false, String(rest[..<start.lowerBound])))
            pieces.append((true, String(rest[start.lowerBound..<end.upperBound])))
            rest = rest[end.upperBound...]
        }
        pieces.append((false, String(rest)))
        return pieces
    }

    private static func paragraphs(_ text: String) -> String {
        var output = ""
        for block in blocks(text) {
            let trimmed = block.trimmingWhiteSpace()
            guard !trimmed.isEmpty else { continue }
            if startsWithBlockElement(trimmed) {
                output += trimmed + "\n"
            } else {
                let lines = trimmed.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingWhiteSpace() }
                output += "<p>" + lines.joined(separator: "<br>\n") + "</p>\n"
            }
        }
        return output
    }

    /// Runs of text between blank lines (a line holding only white space is blank).
    private static func blocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { blocks.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { blocks.append(current.joined(separator: "\n")) }
        return blocks
    }

    /// Whether `block` opens (or closes) a block element, or is an HTML comment.
    private static func startsWithBlockElement(_ block: String) -> Bool {
        guard block.hasPrefix("<") else { return false }
        if block.hasPrefix("<!--") { return true }
        let name = block.dropFirst().drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
        return blockElements.contains(name)
    }
}
