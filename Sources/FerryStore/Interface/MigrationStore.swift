import FerryCore
import Foundation

/// Blogs moving here: uploads awaiting confirmation, and a queue that runners (one per node,
/// or several) take migrations from under leases.
public protocol MigrationStore: Sendable {
    /// Records an analysed export of `bytes`, awaiting its owner's confirmation, unless the
    /// owner's uploads waiting to run would then exceed `limits`.
    func createMigration(
        id: String, owner: IdentityID, blog: BlogSlug, mode: MigrationMode, newBlog: NewBlogChoice, summary: Data, bytes: Int, linksIdentity: Bool,
        limits: PendingUploadLimits, at now: Date
    ) async throws -> Migration
    /// How many uploads of `owner` wait to run, and their bytes.
    func pendingUploads(of owner: IdentityID) async throws -> (count: Int, bytes: Int)
    /// The migration `id` if `owner` started it; anyone else is told it does not exist.
    func migration(_ id: String, of owner: IdentityID) async throws -> Migration?
    /// The migrations `owner` started, newest first.
    func migrations(of owner: IdentityID, limit: Int) async throws -> [Migration]
    /// Confirms a migration awaiting confirmation: from here on it will run.
    func confirmMigration(_ id: String, of owner: IdentityID, at now: Date) async throws -> Migration
    /// Takes the oldest migration that waits — queued, or running under a lease that ran out —
    /// marks it running under a lease of `duration` for `holder` and counts the attempt; nil
    /// when none waits. No two runners ever take the same one.
    func claimNextMigration(holder: String, for duration: TimeInterval, at now: Date) async throws -> (Migration, MigrationLease)?
    /// Extends `lease`; false when it is no longer held.
    func renew(_ lease: MigrationLease, for duration: TimeInterval, at now: Date) async throws -> Bool
    /// Abandoned migrations already started `maxAttempts` times fail with that reason.
    func failExhaustedMigrations(maxAttempts: Int, at now: Date) async throws -> [Migration]
    /// Uploads left unconfirmed since before `cutoff` fail as expired; answers their ids.
    func expireUnconfirmedMigrations(before cutoff: Date, at now: Date) async throws -> [String]
    /// The ids of migrations whose files are still needed: waiting or running.
    func migrationsKeepingFiles() async throws -> Set<String>
    /// Marks a migration failed with a reason, if `lease` still holds it.
    @discardableResult
    func failMigration(_ lease: MigrationLease, reason: String, at now: Date) async throws -> Bool
}

extension MigrationStore {
    public func createMigration(
        id: String, owner: IdentityID, blog: BlogSlug, mode: MigrationMode, newBlog: NewBlogChoice = NewBlogChoice(), summary: Data,
        bytes: Int = 0, linksIdentity: Bool = false, limits: PendingUploadLimits = PendingUploadLimits()
    ) async throws -> Migration {
        try await createMigration(
            id: id, owner: owner, blog: blog, mode: mode, newBlog: newBlog, summary: summary, bytes: bytes, linksIdentity: linksIdentity,
            limits: limits, at: Date())
    }

    public func migrations(of owner: IdentityID) async throws -> [Migration] {
        try await migrations(of: owner, limit: 50)
    }

    public func confirmMigration(_ id: String, of owner: IdentityID) async throws -> Migration {
        try await confirmMigration(id, of: owner, at: Date())
    }

    public func claimNextMigration(holder: String, for duration: TimeInterval) async throws -> (Migration, MigrationLease)? {
        try await claimNextMigration(holder: holder, for: duration, at: Date())
    }

    public func renew(_ lease: MigrationLease, for duration: TimeInterval) async throws -> Bool {
        try await renew(lease, for: duration, at: Date())
    }

    public func failExhaustedMigrations(maxAttempts: Int) async throws -> [Migration] {
        try await failExhaustedMigrations(maxAttempts: maxAttempts, at: Date())
    }

    public func expireUnconfirmedMigrations(before cutoff: Date) async throws -> [String] {
        try await expireUnconfirmedMigrations(before: cutoff, at: Date())
    }

    @discardableResult
    public func failMigration(_ lease: MigrationLease, reason: String) async throws -> Bool {
        try await failMigration(lease, reason: reason, at: Date())
    }
}

/// The reasons the queue gives, worded once for every backend.
public enum MigrationQueueWording {
    public static func exhausted(_ attempts: Int) -> String {
        "the migration was interrupted \(attempts) times (the server stopped while it ran); nothing was changed"
    }

    public static let expired = "the upload was not confirmed in time and expired; nothing was changed"
}

extension AppDatabase: MigrationStore {}
