import Crypto
import FerryCore
import FerryImport
import FerryStore
import Foundation
import Hummingbird
import NIOCore
import NIOPosix

/// `/api/migrations`: the owner uploads an export, reads what will move and what will stay,
/// confirms (irreversibly), and follows the background run to its report.
struct MigrationController {
    let database: AppDatabase
    let worker: MigrationWorker
    let maxExportBytes: Int
    /// Each owner's uploads waiting to run, in number and bytes.
    let pending: PendingUploadLimits
    let window: MigrationWindow

    func addRoutes(signedIn: RouterGroup<AppRequestContext>) {
        signedIn.post(RouterPath(SitePath.API.migrations), use: create)
        signedIn.post(RouterPath(SitePath.API.confirmMigrationPattern), use: confirm)
        signedIn.get(RouterPath(SitePath.API.migrationPattern), use: show)
    }

    /// Streams the body to disk (never whole in memory), analyses it without touching any
    /// blog, and answers 202 with the summary. A body that cannot be read leaves nothing.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<MigrationResponse> {
        let session = try context.requireSession()
        try window.checkOpen()
        let slug = try BlogSlug(validating: request.uri.queryParameters.get("blog") ?? "", field: "blog")
        guard let mode = request.uri.queryParameters.get("mode").flatMap(MigrationMode.init(rawValue:)) else {
            throw FerryError.invalid("mode", "must be new (create the blog) or merge (add to a blog you own)")
        }
        let query = request.uri.queryParameters
        let newBlog = try Self.newBlogChoice(title: query.get("title"), language: query.get("language"), visibility: query.get("visibility"), mode: mode)
        try await checkTarget(slug, mode: mode, owner: session.identityID)
        // Refused before a byte is stored when the owner's waiting uploads are already at the
        // cap; the bytes left under it bound this one.
        let waiting = try await database.pendingUploads(of: session.identityID)
        try pending.check(adding: 0, to: waiting)
        let id = Self.newID()
        let file = worker.exportFile(id)
        do {
            let bytes = try await receive(request, into: file, limit: min(maxExportBytes, pending.bytes - waiting.bytes))
            let summary = try await NIOThreadPool.singleton.runIfActive { [worker, maxExportBytes] in
                try ExportSummary(path: worker.package(id, maxBytes: maxExportBytes * 4).exportPath)
            }
            let migration = try await database.createMigration(
                id: id, owner: session.identityID, blog: slug, mode: mode, newBlog: newBlog, summary: JSONEncoder().encode(summary),
                bytes: bytes, limits: pending
            )
            return EditedResponse(
                status: .accepted, headers: [.location: SitePath.API.migration(id)],
                response: try MigrationResponse(migration, itemsRead: nil, window: window)
            )
        } catch let error as FerryError where error.code == .unreadableExport {
            worker.discardFiles(id)
            throw FerryError(.invalidField, "the export could not be read: \(error.message)", field: "body", cause: error)
        } catch {
            worker.discardFiles(id)
            throw error
        }
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<MigrationResponse> {
        let session = try context.requireSession()
        let migration = try await database.confirmMigration(try context.parameters.require("id"), of: session.identityID)
        worker.wake()
        return EditedResponse(status: .accepted, response: try MigrationResponse(migration, itemsRead: nil, window: window))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> MigrationResponse {
        let session = try context.requireSession()
        let id = try context.parameters.require("id")
        guard let migration = try await database.migration(id, of: session.identityID) else {
            throw FerryError(.notFound, "there is no migration '\(id)'")
        }
        return try MigrationResponse(migration, itemsRead: worker.itemsRead(id), window: window)
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

    /// `new` needs a free address; `merge` needs a blog the caller owns (the store's rule for
    /// every write: someone else's private blog is "not found", a visible one "forbidden").
    private func checkTarget(_ slug: BlogSlug, mode: MigrationMode, owner: IdentityID) async throws {
        switch mode {
        case .new:
            guard try await database.blog(slug: slug) == nil else {
                throw FerryError(.conflict, "the blog address '\(slug)' is already taken; choose another or merge into a blog of yours", field: "blog")
            }
        case .merge:
            _ = try await database.ownedBlog(slug, by: owner)
        }
    }

    /// Writes the body to `file`, refusing it at `limit` without buffering it; answers its size.
    private func receive(_ request: Request, into file: URL, limit: Int) async throws -> Int {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge(limit)
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw FerryError(.malformedRequest, "the export could not be stored")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var received = 0
        for try await chunk in request.body {
            received += chunk.readableBytes
            guard received <= limit else { throw tooLarge(limit) }
            try handle.write(contentsOf: chunk.readableBytesView)
        }
        return received
    }

    private func tooLarge(_ limit: Int) -> FerryError {
        limit < maxExportBytes
            ? FerryError(.tooLarge, "the export is larger than the \(limit) bytes left for your uploads waiting to run (at most \(pending.bytes) together)")
            : FerryError(.tooLarge, "the export is larger than the limit of \(maxExportBytes) bytes")
    }

    /// 128 random bits, hex: migration ids are not guessable.
    private static func newID() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { $0.hexadecimal }
    }
}

struct MigrationResponse: ResponseEncodable {
    struct Progress: Encodable {
        var done: Int
        var total: Int
    }

    var id: String
    var status: MigrationStatus
    var blog: String
    var mode: MigrationMode
    var url: String
    var summary: ExportSummary
    var progress: Progress
    @AlwaysPresent var report: ImportReport? = nil
    @AlwaysPresent var failure: String? = nil
    @AlwaysPresent var deadline: MigrationDeadline? = nil

    /// `itemsRead` is the worker's count while it works on the migration: one the database
    /// already calls done is still running for its owner until the worker has published the
    /// blog's feed, so that "done" means everything is in place.
    init(_ migration: Migration, itemsRead: Int?, window: MigrationWindow) throws {
        deadline = MigrationDeadline(window)
        id = migration.id
        var migration = migration
        if migration.status == .done, itemsRead != nil {
            migration.status = .running
            migration.report = nil
        }
        status = migration.status
        blog = migration.blog.rawValue
        mode = migration.mode
        url = SitePath.blogHome(migration.blog)
        summary = try JSONDecoder().decode(ExportSummary.self, from: migration.summary)
        report = try migration.report.map { try JSONDecoder().decode(ImportReport.self, from: $0) }
        failure = migration.failure
        let total = summary.posts + summary.pages + summary.media + summary.leftBehind.values.reduce(0, +)
        let done =
            switch migration.status {
            case .done: total
            case .running: min(itemsRead ?? 0, total)
            default: 0
            }
        progress = Progress(done: done, total: total)
    }
}
