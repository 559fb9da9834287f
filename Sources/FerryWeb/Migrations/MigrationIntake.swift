import Crypto
import FerryCore
import FerryImport
import FerryStore
import Foundation
import NIOPosix

/// Takes an export in, for the API (`POST /api/migrations`, the raw body) and the wizard
/// (`/move`, a form's file) alike: the owner's room for uploads is checked before a byte is
/// stored, the file is written to disk as it arrives, analysed without touching any blog,
/// and recorded as a migration awaiting its owner's confirmation. Whatever fails leaves
/// nothing behind.
struct MigrationIntake: Sendable {
    let database: any Store
    let worker: MigrationWorker
    let maxExportBytes: Int
    /// Each owner's uploads waiting to run, in number and bytes.
    let pending: PendingUploadLimits
    let window: MigrationWindow

    /// Where an upload goes, and how many bytes it may have.
    struct Slot: Sendable {
        var id: String
        var file: URL
        var limit: Int
    }

    /// A new slot for `owner`'s export, refused while the move is closed or the owner's
    /// waiting uploads are already at their cap.
    func slot(for owner: IdentityID) async throws -> Slot {
        try window.checkOpen()
        let waiting = try await database.pendingUploads(of: owner)
        try pending.check(adding: 0, to: waiting)
        let id = Self.newID()
        return Slot(id: id, file: worker.exportFile(id), limit: min(maxExportBytes, pending.bytes - waiting.bytes))
    }

    /// Why an export is refused as too large for `slot`.
    func tooLarge(_ slot: Slot) -> FerryError {
        slot.limit < maxExportBytes
            ? FerryError(
                .tooLarge, "the export is larger than the \(slot.limit) bytes left for your uploads waiting to run (at most \(pending.bytes) together)")
            : FerryError(.tooLarge, "the export is larger than the limit of \(maxExportBytes) bytes")
    }

    /// Analyses the stored export and records the migration. An export that cannot be read is
    /// an `invalidField` error on `field`.
    func record(
        _ slot: Slot, bytes: Int, owner: IdentityID, blog: BlogSlug, mode: MigrationMode, newBlog: NewBlogChoice, linksIdentity: Bool,
        field: String
    ) async throws -> Migration {
        do {
            let summary = try await NIOThreadPool.singleton.runIfActive { [worker, maxExportBytes] in
                try ExportSummary(path: worker.package(slot.id, maxBytes: maxExportBytes * 4).exportPath)
            }
            return try await database.createMigration(
                id: slot.id, owner: owner, blog: blog, mode: mode, newBlog: newBlog, summary: JSONEncoder().encode(summary), bytes: bytes,
                linksIdentity: linksIdentity, limits: pending
            )
        } catch let error as FerryError where error.code == .unreadableExport {
            throw FerryError(.invalidField, "the export could not be read: \(error.message)", field: field, cause: error)
        }
    }

    /// Removes whatever an upload that did not become a migration left.
    func discard(_ slot: Slot) {
        worker.discardFiles(slot.id)
    }

    /// `new` needs a free address; `merge` needs a blog the caller owns (the store's rule for
    /// every write: someone else's private blog is "not found", a visible one "forbidden").
    func checkTarget(_ slug: BlogSlug, mode: MigrationMode, owner: IdentityID) async throws {
        switch mode {
        case .new:
            guard try await database.blog(slug: slug) == nil else {
                throw FerryError(.conflict, "the blog address '\(slug)' is already taken; choose another or merge into a blog of yours", field: "blog")
            }
        case .merge:
            _ = try await database.ownedBlog(slug, by: owner)
        }
    }

    /// The title, language and visibility asked for a new blog; a merge keeps the blog's own.
    static func newBlogChoice(title: String?, language: String?, visibility: String?, mode: MigrationMode) throws(FerryError) -> NewBlogChoice {
        guard mode == .new else {
            if let field = [("title", title), ("language", language), ("visibility", visibility)].first(where: { $0.1 != nil })?.0 {
                throw FerryError.invalid(field, "is chosen only for a new blog; a merge keeps the blog's own settings")
            }
            return NewBlogChoice()
        }
        var choice = NewBlogChoice()
        if let title { choice.title = try Blog.validTitle(title) }
        if let language { choice.language = try LanguageTag(validating: language) }
        if let visibility {
            guard let value = BlogVisibility(rawValue: visibility) else {
                throw FerryError.invalid("visibility", "must be public, private or hidden")
            }
            choice.visibility = value
        }
        return choice
    }

    /// 128 random bits, hex: migration ids are not guessable.
    private static func newID() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { $0.hexadecimal }
    }
}
