import FerryCore
import FerryImport
import FerryStore
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Runs confirmed migrations one at a time, in the background, in the order they were
/// started. Each runs as one transaction that also marks it done, so a process stopped in
/// the middle (even by SIGKILL) left nothing behind: on the next start the migration, still
/// `running`, simply runs again, and its source ids make sure nothing is added twice.
final class MigrationWorker: Service, Sendable {
    let database: AppDatabase
    let directory: URL
    let publisher: FeedPublisher
    let media: MediaMover
    let maxUnpackedBytes: Int
    let claims: ClaimPolicy
    let logger: Logger
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation
    /// Items read so far by the running migration; it is not visible in the database until
    /// its transaction commits.
    private let progress = Mutex<[String: Int]>([:])

    init(
        database: AppDatabase, directory: URL, publisher: FeedPublisher, media: MediaMover, maxUnpackedBytes: Int, claims: ClaimPolicy,
        logger: Logger
    ) {
        self.maxUnpackedBytes = maxUnpackedBytes
        self.claims = claims
        self.database = database
        self.directory = directory
        self.publisher = publisher
        self.media = media
        self.logger = logger
        (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Where the export of migration `id` waits until it has run.
    func exportFile(_ id: String) -> URL {
        directory.appendingPathComponent("\(id).export")
    }

    /// Where a zipped export of migration `id` is unpacked.
    func unpackFolder(_ id: String) -> URL {
        directory.appendingPathComponent("\(id).unpacked")
    }

    /// The export of migration `id`, unpacked if it is a zip (at most `maxBytes` expanded).
    func package(_ id: String, maxBytes: Int) throws(ImportError) -> ExportPackage {
        try ExportPackage.open(exportFile(id).path, unpackingInto: unpackFolder(id), limits: .init(maxBytes: maxBytes))
    }

    /// Removes what migration `id` kept on disk.
    func discardFiles(_ id: String) {
        try? FileManager.default.removeItem(at: exportFile(id))
        try? FileManager.default.removeItem(at: unpackFolder(id))
    }

    /// Items read so far by migration `id`, while it runs.
    func itemsRead(_ id: String) -> Int? {
        progress.withLock { $0[id] }
    }

    /// Asks the worker to look for confirmed migrations now.
    func wake() {
        wakeup.yield()
    }

    func run() async throws {
        await drain()
        for await _ in wakeups.cancelOnGracefulShutdown() {
            await drain()
        }
    }

    private func drain() async {
        while !Task.isCancelled {
            do {
                guard let migration = try await database.nextMigrationToRun() else { return }
                await execute(migration)
            } catch {
                logger.error("migrations could not be read", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    private func execute(_ migration: Migration) async {
        let id = migration.id
        logger.info("migration started", metadata: ["migration": "\(id)"])
        do {
            try await database.markMigrationRunning(id)
            let summary = try JSONDecoder().decode(ExportSummary.self, from: migration.summary)
            let package = try self.package(id, maxBytes: maxUnpackedBytes)
            let path = package.exportPath
            let plan = media.hasWork(for: package) ? try await media.prepare(package) : MediaPlan(package: package)
            let database = self.database
            let report = try await NIOThreadPool.singleton.runIfActive { [self] in
                let choice = migration.newBlog
                let settings = migration.mode == .new
                    ? (title: choice.title ?? summary.title.map(Post.importedTitle) ?? migration.blog.rawValue,
                       language: choice.language ?? summary.language.flatMap { try? LanguageTag(validating: $0) } ?? LanguageTag(trusted: "en"))
                    : nil
                return try database.importIntoBlog(
                    migration.blog, owner: migration.ownerID, createWith: settings, visibility: choice.visibility ?? .public
                ) { batch in
                    let importer = BlogImporter(media: plan, claims: claims) { read in self.progress.withLock { $0[id] = read.items } }
                    let report = try importer.run(path: path, into: batch)
                    try batch.completeMigration(id, report: JSONEncoder().encode(report))
                    return report
                }
            }
            discardFiles(id)
            if let blog = try await database.blog(slug: migration.blog) { await publisher.refresh(blog.id) }
            logger.info("migration done", metadata: ["migration": "\(id)", "posts": "\(report.posts)", "comments": "\(report.comments)"])
        } catch {
            let reason = Self.reason(error)
            logger.notice("migration failed", metadata: ["migration": "\(id)", "reason": "\(reason)"])
            try? await database.failMigration(id, reason: reason)
            discardFiles(id)
        }
        progress.withLock { $0[id] = nil }
    }

    /// A reason the owner can act on; anything unexpected is described without internals.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as ImportError: "the export could not be read: \(error.message); nothing was changed"
        case let error as FerryError: "\(error.message); nothing was changed"
        default: "the migration stopped on an internal error; nothing was changed"
        }
    }
}
