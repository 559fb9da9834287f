import FerryCore
import Foundation

/// Checks that a claimant controls the old site, through the safe fetcher: the claim's token
/// in a `<meta name="ferry-verification">` of the old home page, or alone in the file
/// `ferry-verification.txt` beside it.
public struct ClaimVerifier: Sendable {
    let fetcher: MediaFetcher

    public init(fetcher: MediaFetcher) {
        self.fetcher = fetcher
    }

    /// How the claim was verified (`page` or `file`), or why it could not be.
    public func verify(_ claim: OldRootClaim) async throws(FerryError) -> String {
        if let page = try? await fetcher.fetch(claim.root.url, expecting: .text),
            Self.metaElements(in: page.data).contains(where: { Self.names($0, token: claim.token) })
        {
            return "page"
        }
        if let file = try? await fetcher.fetch(claim.fileURL, expecting: .text),
            String(decoding: file.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == claim.token
        {
            return "file"
        }
        throw FerryError.unfetchable(
            "the token was found neither in a <meta name=\"\(OldRootClaim.metaName)\"> of \(claim.root.url) nor in \(claim.fileURL)"
        )
    }

    /// The text of each `<meta …>` tag of `html`.
    static func metaElements(in html: Data) -> [Substring] {
        let text = String(decoding: html, as: UTF8.self)
        var elements: [Substring] = []
        var rest = text[...]
        while let start = rest.range(of: "<meta", options: .caseInsensitive) {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            elements.append(rest[start.lowerBound...end])
            rest = rest[rest.index(after: end)...]
        }
        return elements
    }

    /// Whether the tag `element` is the verification `<meta>` with `token` as its content.
    static func names(_ element: Substring, token: String) -> Bool {
        let attributes = attributes(of: element)
        return attributes["name"]?.lowercased() == OldRootClaim.metaName && attributes["content"] == token
    }

    /// The attributes of a tag, names in lower case, values unquoted.
    private static func attributes(of element: Substring) -> [String: String] {
        var attributes: [String: String] = [:]
        var rest = element.dropFirst("<meta".count).dropLast()
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "/" }
            let name = rest.prefix { !$0.isWhitespace && $0 != "=" }
            guard !name.isEmpty else { break }
            rest = rest.dropFirst(name.count).drop { $0.isWhitespace }
            guard rest.first == "=" else {
                attributes[name.lowercased()] = ""
                continue
            }
            rest = rest.dropFirst().drop { $0.isWhitespace }
            let value: Substring
            if let quote = rest.first, quote == "\"" || quote == "'" {
                value = rest.dropFirst().prefix { $0 != quote }
                rest = rest.dropFirst(value.count + 2)
            } else {
                value = rest.prefix { !$0.isWhitespace }
                rest = rest.dropFirst(value.count)
            }
            attributes[name.lowercased()] = String(value)
        }
        return attributes
    }
}
