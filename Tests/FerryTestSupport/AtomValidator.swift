import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A feed as a real XML parser read it, after the RFC 4287 rules were checked.
public struct ParsedFeed: Sendable {
    public struct Entry: Sendable {
        public var id: String
        public var title: String
        public var content: String
        public var categories: [String]
        public var links: [String: String]
        public var commentTotal: Int?
    }

    public var id: String
    public var title: String
    public var language: String?
    public var links: [String: String]
    public var isArchive: Bool
    public var entries: [Entry]
}

public struct FeedProblem: Error, CustomStringConvertible {
    public var description: String
}

/// Parses `data` with Foundation's XMLParser (libxml2 underneath) and checks what RFC 4287
/// requires of a feed and its entries: ids, titles, RFC 3339 `updated`/`published`, an
/// author, `self` and `alternate` links, unique entry ids and HTML content.
public func parseAtomFeed(_ data: Data) throws -> ParsedFeed {
    let tree = try XMLTree.parse(data)
    let atom = "http://www.w3.org/2005/Atom"
    guard tree.name == "feed", tree.namespace == atom else { throw FeedProblem(description: "the root is not an Atom feed") }
    func require(_ node: XMLTree, _ name: String) throws -> XMLTree {
        guard let child = node.children.first(where: { $0.name == name && $0.namespace == atom }) else {
            throw FeedProblem(description: "<\(node.name)> has no <\(name)>")
        }
        return child
    }
    func checkDate(_ node: XMLTree, _ name: String) throws {
        let text = try require(node, name).text
        guard (try? Date(text, strategy: .iso8601)) != nil else { throw FeedProblem(description: "<\(name)> '\(text)' is not RFC 3339") }
    }
    func links(_ node: XMLTree) -> [String: String] {
        Dictionary(node.children.filter { $0.name == "link" }.map { ($0.attributes["rel"] ?? "alternate", $0.attributes["href"] ?? "") }) { first, _ in first }
    }
    let feedID = try require(tree, "id").text
    let title = try require(tree, "title").text
    try checkDate(tree, "updated")
    let feedHasAuthor = tree.children.contains { $0.name == "author" }
    let feedLinks = links(tree)
    guard feedLinks["self"] != nil, feedLinks["alternate"] != nil else { throw FeedProblem(description: "the feed lacks a self or alternate link") }
    var seen: Set<String> = []
    var entries: [ParsedFeed.Entry] = []
    for node in tree.children where node.name == "entry" {
        let id = try require(node, "id").text
        guard !id.isEmpty, seen.insert(id).inserted else { throw FeedProblem(description: "entry id '\(id)' is empty or repeated") }
        try checkDate(node, "updated")
        try checkDate(node, "published")
        guard feedHasAuthor || node.children.contains(where: { $0.name == "author" }) else { throw FeedProblem(description: "entry \(id) has no author") }
        let content = try require(node, "content")
        guard content.attributes["type"] == "html" else { throw FeedProblem(description: "entry \(id) content is not type html") }
        let entryLinks = links(node)
        guard entryLinks["alternate"] != nil else { throw FeedProblem(description: "entry \(id) has no alternate link") }
        entries.append(
            ParsedFeed.Entry(
                id: id, title: try require(node, "title").text, content: content.text,
                categories: node.children.filter { $0.name == "category" }.compactMap { $0.attributes["term"] },
                links: entryLinks, commentTotal: node.children.first { $0.name == "total" }.flatMap { Int($0.text) }
            ))
    }
    return ParsedFeed(
        id: feedID, title: title, language: tree.attributes["xml:lang"] ?? tree.attributes["lang"], links: feedLinks,
        isArchive: tree.children.contains { $0.name == "archive" && $0.namespace == "http://purl.org/syndication/history/1.0" },
        entries: entries
    )
}

/// A small element tree built by XMLParser with namespaces processed.
final class XMLTree {
    let name: String
    let namespace: String?
    let attributes: [String: String]
    var children: [XMLTree] = []
    var text = ""

    init(name: String, namespace: String?, attributes: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
    }

    static func parse(_ data: Data) throws -> XMLTree {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw FeedProblem(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no root")")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
        {
            let node = XMLTree(name: elementName, namespace: namespaceURI, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            stack.last?.text += String(decoding: block, as: UTF8.self)
        }
    }
}
