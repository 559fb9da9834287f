import FerryCore
import Foundation

/// Where a draft's permalink goes when it is saved, on every backend: it follows its title (or
/// the slug an editor names) until it is published; a slug an editor named, rather than one
/// that followed the title, is kept; and a save in the same month with the same base keeps
/// the slug, numbered or not (a save must not renumber it).
public struct DraftAddress: Sendable, Equatable {
    /// The month the draft's address must move to.
    public var month: PostMonth
    /// The slug to give it, numbered if the month has it already.
    public var base: PostSlug

    /// Nil when the draft keeps its address; `publishedAt` is the date it is being published
    /// at, if it is.
    public static func after(saving old: Post, newTitle: String, slugSource: String?, publishedAt: Date?) -> DraftAddress? {
        let titleSlug = PostSlug(title: old.title).rawValue
        let followsTitle = old.slug.rawValue == titleSlug || old.slug.rawValue.hasPrefix(titleSlug + "-")
        let base = editorsSlug(slugSource).map(PostSlug.init(title:)) ?? (followsTitle ? PostSlug(title: newTitle) : old.slug)
        let month = PostMonth(containing: publishedAt ?? old.publishedAt)
        let numberedBase =
            old.slug.rawValue.hasPrefix(base.rawValue + "-") && old.slug.rawValue.dropFirst(base.rawValue.count + 1).allSatisfy(\.isNumber)
        guard month != old.month || (base != old.slug && !numberedBase) else { return nil }
        return DraftAddress(month: month, base: base)
    }

    /// A slug an editor named, unless it is blank.
    public static func editorsSlug(_ source: String?) -> String? {
        source.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }
}
