import FerryCore
import FerryImport
import FerryStore
import Foundation
import Hummingbird
import NIOCore

/// `/api/migrations`: the owner uploads an export, reads what will move and what will stay,
/// confirms (irreversibly), and follows the background run to its report.
struct MigrationController {
    let intake: MigrationIntake

    func addRoutes(signedIn: RouterGroup<AppRequestContext>) {
        signedIn.post(RouterPath(SitePath.API.migrations), use: create)
        signedIn.post(RouterPath(SitePath.API.confirmMigrationPattern), use: confirm)
        signedIn.get(RouterPath(SitePath.API.migrationPattern), use: show)
    }

    /// Streams the body to disk (never whole in memory), analyses it without touching any
    /// blog, and answers 202 with the summary. A body that cannot be read leaves nothing.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<MigrationResponse> {
        let session = try context.requireSession()
        try intake.window.checkOpen()
        let slug = try BlogSlug(validating: request.uri.queryParameters.get("blog") ?? "", field: "blog")
        guard let mode = request.uri.queryParameters.get("mode").flatMap(MigrationMode.init(rawValue:)) else {
            throw FerryError.invalid("mode", "must be new (create the blog) or merge (add to a blog you own)")
        }
        let query = request.uri.queryParameters
        let newBlog = try MigrationIntake.newBlogChoice(
            title: query.get("title"), language: query.get("language"), visibility: query.get("visibility"), mode: mode)
        try await intake.checkTarget(slug, mode: mode, owner: session.identityID)
        let slot = try await intake.slot(for: session.identityID)
        do {
            let bytes = try await receive(request, into: slot)
            let migration = try await intake.record(
                slot, bytes: bytes, owner: session.identityID, blog: slug, mode: mode, newBlog: newBlog, linksIdentity: false, field: "body")
            return EditedResponse(
                status: .accepted, headers: [.location: SitePath.API.migration(migration.id)],
                response: try MigrationResponse(migration, itemsRead: nil, window: intake.window)
            )
        } catch {
            intake.discard(slot)
            throw error
        }
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<MigrationResponse> {
        let session = try context.requireSession()
        let migration = try await intake.database.confirmMigration(try context.parameters.require("id"), of: session.identityID)
        intake.worker.wake()
        return EditedResponse(status: .accepted, response: try MigrationResponse(migration, itemsRead: nil, window: intake.window))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> MigrationResponse {
        let session = try context.requireSession()
        return try await Self.migration(try context.parameters.require("id"), of: session.identityID, intake: intake)
    }

    /// The owner's migration as it stands, the worker's progress included.
    static func migration(_ id: String, of owner: IdentityID, intake: MigrationIntake) async throws -> MigrationResponse {
        guard let migration = try await intake.database.migration(id, of: owner) else {
            throw FerryError(.notFound, "there is no migration '\(id)'")
        }
        return try MigrationResponse(migration, itemsRead: intake.worker.itemsRead(id), window: intake.window)
    }

    /// Writes the body to the slot's file, refusing it at the slot's limit without buffering it;
    /// answers its size.
    private func receive(_ request: Request, into slot: MigrationIntake.Slot) async throws -> Int {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > slot.limit {
            throw intake.tooLarge(slot)
        }
        let sink = try FileSink(file: slot.file, limit: slot.limit, tooLarge: intake.tooLarge(slot))
        for try await chunk in request.body {
            try sink.write(ArraySlice(chunk.readableBytesView))
        }
        return sink.written
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
    /// Whether the blog is tied to the owner's messenger identity when the import is done.
    var linksIdentity: Bool
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
        linksIdentity = migration.linksIdentity
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
