/// A well-formed BCP 47 language tag (RFC 5646), such as `en`, `pt-BR`, `zh-Hant-TW` or
/// `de-CH-1996`, with its subtags in their conventional case (`sr-Latn-RS`).
///
/// Well-formedness is checked, not registry membership: a syntactically valid tag for a
/// language the registry added last year is still accepted. The primary language must be
/// the usual 2–3 letters: RFC 5646 also allows 4–8, but no such subtag is registered, and
/// accepting them would let `english` pass for a tag.
public struct LanguageTag: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(validating input: String, field: String = "language") throws(FerryError) {
        guard input.utf8.count <= 64, let canonical = Self.canonical(input) else {
            throw .invalid(field, "must be a BCP 47 language tag such as en, pt-BR or zh-Hant-TW")
        }
        rawValue = canonical
    }

    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// The tag in conventional case, or nil when it is not well-formed.
    static func canonical(_ input: String) -> String? {
        let subtags = input.split(separator: "-", omittingEmptySubsequences: false).map { $0.lowercased() }
        guard subtags.allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else {
            return nil
        }
        if subtags.first == "x" { return subtags.count > 1 ? subtags.joined(separator: "-") : nil }
        var index = 0
        var result: [String] = []
        func take(_ accept: (String) -> Bool, _ format: (String) -> String = { $0 }) -> Bool {
            guard index < subtags.count, accept(subtags[index]) else { return false }
            result.append(format(subtags[index]))
            index += 1
            return true
        }
        let alpha = { (s: String, range: ClosedRange<Int>) in range.contains(s.count) && s.allSatisfy(\.isLetter) }
        let digits = { (s: String) in s.allSatisfy(\.isNumber) }
        // language: 2–3 letters, then up to three 3-letter extended language subtags
        guard take({ alpha($0, 2...3) }) else { return nil }
        for _ in 0..<3 where take({ alpha($0, 3...3) }) {}
        _ = take({ alpha($0, 4...4) }, { $0.prefix(1).uppercased() + $0.dropFirst() })
        _ = take({ alpha($0, 2...2) || ($0.count == 3 && digits($0)) }, { $0.uppercased() })
        while take({ ($0.count >= 5) || ($0.count == 4 && $0.first?.isNumber == true) }) {}
        var singletons: Set<String> = []
        while index < subtags.count, subtags[index].count == 1, subtags[index] != "x" {
            guard singletons.insert(subtags[index]).inserted else { return nil }
            result.append(subtags[index])
            index += 1
            guard take({ $0.count >= 2 }) else { return nil }
            while take({ $0.count >= 2 }) {}
        }
        if index < subtags.count, subtags[index] == "x" {
            result.append("x")
            index += 1
            guard take({ _ in true }) else { return nil }
            while take({ _ in true }) {}
        }
        return index == subtags.count ? result.joined(separator: "-") : nil
    }
}
