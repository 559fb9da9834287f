import FerryCore
import FerryStore
import Foundation

/// Where one import goes: a new blog (with the owner's choices, the export's title and
/// language filling the rest), or a blog the owner has.
public enum ImportTarget: Sendable {
    /// With `stagingKey`, the new blog is written in stages (see `ImportStore.importInStages`);
    /// without, in one transaction.
    case newBlog(BlogSlug, choice: NewBlogChoice, stagingKey: String?)
    case merge(BlogSlug)
}

/// One import of an opened export, as the migration worker and `ferry import` both run it:
/// its media fetched or read from the zip, then its items written into the target, the
/// migration (if any) marked done in the same last transaction.
public struct ImportFlow: Sendable {
    public var database: any Store
    public var media: MediaMover
    public var claims: ClaimPolicy
    /// See `BlogImporter.maxHTMLBytes`.
    public var maxHTMLBytes: Int

    public init(database: any Store, media: MediaMover, claims: ClaimPolicy, maxHTMLBytes: Int) {
        self.database = database
        self.media = media
        self.claims = claims
        self.maxHTMLBytes = maxHTMLBytes
    }

    /// The media the export's posts use, stored; the rest keep their old addresses.
    public func mediaPlan(for package: ExportPackage) async throws -> MediaPlan {
        media.hasWork(for: package) ? try await media.prepare(package) : MediaPlan(package: package)
    }

    /// Writes the export into `target` for `owner`; with `migration`, also marks it done with
    /// its report in the last transaction. Blocks the calling thread for the whole import.
    public func importBlocking(
        _ package: ExportPackage, media plan: MediaPlan, into target: ImportTarget, owner: IdentityID, completing migration: MigrationLease? = nil,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) throws -> ImportReport {
        var importer = BlogImporter(media: plan, claims: claims, progress: progress)
        importer.maxHTMLBytes = maxHTMLBytes
        let path = package.exportPath
        let complete: (ImportReport, any ImportBatch) throws -> Void = { report, batch in
            if let migration { try batch.completeMigration(migration, report: JSONEncoder().encode(report)) }
        }
        let slug: BlogSlug
        var settings: (title: String, language: LanguageTag)?
        var visibility = BlogVisibility.public
        switch target {
        case .merge(let target):
            slug = target
        case .newBlog(let target, let choice, let stagingKey):
            slug = target
            settings = try Self.newBlogSettings(choice, channel: ExportSummary.channel(path: path), slug: slug)
            visibility = choice.visibility ?? .public
            if let stagingKey, let settings {
                return try database.importInStages(
                    slug, owner: owner, createWith: settings, visibility: visibility, key: stagingKey,
                    { stages in try importer.run(path: path, in: stages) }, publish: complete
                )
            }
        }
        return try database.importIntoBlog(slug, owner: owner, createWith: settings, visibility: visibility) { batch in
            let report = try importer.run(path: path, into: batch)
            try complete(report, batch)
            return report
        }
    }

    /// A new blog's title and language: the owner's choice, else the export's, else the slug
    /// and English.
    public static func newBlogSettings(
        _ choice: NewBlogChoice, channel: (title: String?, language: String?), slug: BlogSlug
    ) -> (title: String, language: LanguageTag) {
        (
            title: choice.title ?? channel.title.map(Post.importedTitle) ?? slug.rawValue,
            language: choice.language ?? channel.language.flatMap { try? LanguageTag(validating: $0) } ?? LanguageTag(trusted: "en")
        )
    }
}
