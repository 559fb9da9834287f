import FerryCore
import FerryImport
import FerryStore
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Runs confirmed migrations in the background, in the order they were confirmed, up to
/// `policy.sideBySide` at once: a slow or hostile export (media that trickle in) holds up one
/// runner, not everyone's move. (Their writes still take turns: SQLite has one writer.) A new
/// blog is written in stages that no reader sees until the last one makes it the blog
/// (`ImportStore.importInStages`); a merge runs as one transaction. Either way the migration is
/// marked done in its last transaction, so a process stopped in the middle (even by SIGKILL)
/// leaves nothing a reader sees. Each running migration is held under a lease the worker renews
/// while it works; once a lease runs out (its process died) any worker on the database — this
/// one restarted, or another process — takes the migration over and runs it again, reusing
/// what its stages wrote — at most `policy.maxAttempts` times, then it fails with that reason
/// (and its stages go) instead of stopping every runner in turn. A runner whose migration was
/// taken over keeps nothing. Uploads not confirmed within `policy.uploadLifetime` expire; no
/// upload's files outlive it.
final class MigrationWorker: Service, Sendable {
    /// How the worker shares its time and the disk.
    struct Policy: Sendable {
        var sideBySide = 2
        var maxAttempts = 3
        var uploadLifetime: Duration = .seconds(24 * 3600)
        /// How often expired uploads are looked for while nothing else wakes the worker.
        var sweepInterval: Duration = .seconds(10 * 60)
        /// How long a running migration stays this worker's without a renewal; renewed every
        /// third of it, and looked for (abandoned by another) as often.
        var lease: Duration = .seconds(30)

        var leaseSeconds: TimeInterval { Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18 }
    }

    let database: any Store
    let directory: URL
    /// How each migration's export is imported (shared with `ferry import`).
    let flow: ImportFlow
    let maxUnpackedBytes: Int
    let policy: Policy
    let logger: Logger
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation
    /// Items read so far by each migration the worker is on, from its start until its feed is
    /// published (the database cannot tell: its last transaction says done before that).
    private let progress = Mutex<[String: Int]>([:])
    /// How many migrations run now.
    private let running = Mutex(0)
    /// The thread imports write on, one after the other (SQLite has one writer anyway): kept
    /// apart from the shared pool, where password hashing must never wait behind an import.
    private let importThread = NIOThreadPool(numberOfThreads: 1)
    /// Names this worker's leases.
    private let holder = UUID().uuidString

    init(
        database: any Store, directory: URL, flow: ImportFlow, maxUnpackedBytes: Int,
        policy: Policy = Policy(), logger: Logger
    ) {
        self.maxUnpackedBytes = maxUnpackedBytes
        self.policy = policy
        self.database = database
        self.directory = directory
        self.flow = flow
        self.logger = logger
        (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        importThread.start()
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
    func package(_ id: String, maxBytes: Int) throws(FerryError) -> ExportPackage {
        try ExportPackage.open(exportFile(id).path, unpackingInto: unpackFolder(id), limits: .init(maxBytes: maxBytes))
    }

    /// Removes what migration `id` kept on disk.
    func discardFiles(_ id: String) {
        try? FileManager.default.removeItem(at: exportFile(id))
        try? FileManager.default.removeItem(at: unpackFolder(id))
    }

    /// Items read so far by migration `id`, while the worker is on it.
    func itemsRead(_ id: String) -> Int? {
        progress.withLock { $0[id] }
    }

    /// Asks the worker to look for confirmed migrations now.
    func wake() {
        wakeup.yield()
    }

    func run() async throws {
        await recover()
        let ticker = Task { [policy] in
            while !Task.isCancelled {
                try? await Task.sleep(for: min(policy.sweepInterval, policy.lease))
                self.wake()
            }
        }
        defer { ticker.cancel() }
        await withDiscardingTaskGroup { group in
            await dispatch(into: &group)
            for await _ in wakeups.cancelOnGracefulShutdown() {
                await expireUploads()
                await dispatch(into: &group)
            }
        }
        try await importThread.shutdownGracefully()
    }

    /// Starts queued migrations while fewer than `policy.sideBySide` run; each wakes the worker
    /// when it ends, so the next one starts.
    private func dispatch(into group: inout DiscardingTaskGroup) async {
        await failExhausted()
        while running.withLock({ $0 < policy.sideBySide }) {
            do {
                guard let (migration, lease) = try await database.claimNextMigration(holder: holder, for: policy.leaseSeconds) else { return }
                running.withLock { $0 += 1 }
                group.addTask {
                    await self.execute(migration, under: lease)
                    self.running.withLock { $0 -= 1 }
                    self.wake()
                }
            } catch {
                logger.error("migrations could not be read", metadata: ["ferry.error": "\(error)"])
                return
            }
        }
    }

    /// Abandoned migrations started too often fail, and their stages go.
    private func failExhausted() async {
        do {
            for migration in try await database.failExhaustedMigrations(maxAttempts: policy.maxAttempts) {
                logger.notice("migration failed after repeated interruptions", metadata: ["ferry.migration.id": "\(migration.id)"])
                try await importThread.runIfActive { [database] in try database.discardStaging(migration.id, owner: migration.ownerID) }
                discardFiles(migration.id)
            }
        } catch {
            logger.error("abandoned migrations could not be failed", metadata: ["ferry.error": "\(error)"])
        }
    }

    /// At start: files no waiting or running migration needs are removed. (Migrations a
    /// stopped process left running are taken over once their leases run out.)
    private func recover() async {
        do {
            await expireUploads()
            let kept = try await database.migrationsKeepingFiles()
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names where !kept.contains(String(name.prefix { $0 != "." })) {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        } catch {
            logger.error("interrupted migrations could not be recovered", metadata: ["ferry.error": "\(error)"])
        }
    }

    /// Uploads left unconfirmed too long expire, and their files go.
    private func expireUploads() async {
        let cutoff = Date().addingTimeInterval(-TimeInterval(policy.uploadLifetime.components.seconds))
        do {
            for id in try await database.expireUnconfirmedMigrations(before: cutoff) { discardFiles(id) }
        } catch {
            logger.error("expired uploads could not be removed", metadata: ["ferry.error": "\(error)"])
        }
    }

    private func execute(_ migration: Migration, under lease: MigrationLease) async {
        let id = migration.id
        logger.info("migration started", metadata: ["ferry.migration.id": "\(id)"])
        progress.withLock { $0[id] = 0 }
        let renewal = Task { await keep(lease) }
        defer { renewal.cancel() }
        do {
            let package = try self.package(id, maxBytes: maxUnpackedBytes)
            let plan = try await flow.mediaPlan(for: package)
            // A new blog is written in stages, so the rest of the site keeps writing meanwhile.
            let target: ImportTarget =
                migration.mode == .new
                ? .newBlog(migration.blog, choice: migration.newBlog, stagingKey: id)
                : .merge(migration.blog)
            let report = try await importThread.runIfActive { [self] in
                Self.yieldToRequests()
                return try flow.importBlocking(package, media: plan, into: target, owner: migration.ownerID, completing: lease) { read in
                    self.progress.withLock { $0[id] = read.items }
                }
            }
            discardFiles(id)
            if migration.linksIdentity { await linkAfterImport(migration) }
            // The import wrote on a thread of its own: its change is announced here.
            if let blog = try await database.blog(slug: migration.blog) { await database.changes.announce(blog.id) }
            logger.info(
                "migration done",
                metadata: ["ferry.migration.id": "\(id)", "ferry.migration.posts": "\(report.posts)", "ferry.migration.comments": "\(report.comments)"])
        } catch is MigrationLeaseLost {
            logger.notice("migration taken over by another runner", metadata: ["ferry.migration.id": "\(id)"])
        } catch {
            let reason = Self.reason(error)
            logger.notice("migration failed", metadata: ["ferry.migration.id": "\(id)", "ferry.migration.reason": "\(reason)", "ferry.error": "\(error)"])
            do {
                if try await database.failMigration(lease, reason: reason) { discardFiles(id) }
            } catch {
                logger.error("failed migration not recorded", metadata: ["ferry.migration.id": "\(id)", "ferry.error": "\(error)"])
            }
        }
        progress.withLock { $0[id] = nil }
    }

    /// Renews `lease` every third of its length until cancelled, or until it is found lost.
    private func keep(_ lease: MigrationLease) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: policy.lease / 3)
            guard !Task.isCancelled else { return }
            do {
                guard try await database.renew(lease, for: policy.leaseSeconds) else {
                    logger.warning("migration lease lost", metadata: ["ferry.migration.id": "\(lease.id)"])
                    return
                }
            } catch {
                logger.error("migration lease not renewed", metadata: ["ferry.migration.id": "\(lease.id)", "ferry.error": "\(error)"])
            }
        }
    }

    /// Links the moved blog to its owner's identity, as the owner chose with their password.
    /// The blog is in place already: a link that fails is logged and left for the dashboard.
    private func linkAfterImport(_ migration: Migration) async {
        do {
            _ = try await database.linkBlog(migration.blog, by: migration.ownerID)
        } catch {
            logger.error("moved blog not linked", metadata: ["ferry.migration.id": "\(migration.id)", "ferry.error": "\(error)"])
        }
    }

    /// Lowers the calling thread's scheduling priority (and so that of the thread it starts to
    /// read the export): on a busy machine requests are served first, and the import takes the
    /// time they leave. Linux gives each thread its own nice value (`0` is the calling thread),
    /// inherited by the threads it starts.
    private static func yieldToRequests() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    /// A reason the owner can act on; anything unexpected is described without internals.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? FerryError, error.code != .brokenInvariant else {
            return "the migration stopped on an internal error; nothing was changed"
        }
        let prefix = error.code == .unreadableExport ? "the export could not be read: " : ""
        return "\(prefix)\(error.message); nothing was changed"
    }
}
