/// One archive document: a closed month, or — for a month with more posts than one document
/// holds — one part of it, newest posts first: `2010-05`, then `2010-05-2`, and so on.
public struct ArchivePart: Hashable, Sendable {
    public var month: PostMonth
    public var number = 1

    /// `YYYY-MM`, or `YYYY-MM-N` for a part N ≥ 2 (written without leading zeros).
    public init?(key: String) {
        let pieces = key.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 2 || pieces.count == 3, let month = PostMonth(key: pieces.prefix(2).joined(separator: "-")) else { return nil }
        self.month = month
        if pieces.count == 3 {
            guard let number = Int(pieces[2]), number >= 2, String(number) == pieces[2] else { return nil }
            self.number = number
        }
    }

    public init(month: PostMonth, number: Int = 1) {
        self.month = month
        self.number = number
    }

    public var key: String { number == 1 ? month.key : "\(month.key)-\(number)" }
    public var next: ArchivePart { ArchivePart(month: month, number: number + 1) }
}
