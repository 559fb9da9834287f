import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Migrations of the work beyond one process (issue 18), appended after `025`.
    static func registerClusterMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("026-blog-changes") { db in
            try db.execute(
                sql: """
                    -- Each committed change of what a blog shows, written in the change's own
                    -- transaction, for the other processes on this database to follow (see
                    -- BlogChanges). No foreign key: a deleted blog's change matters most.
                    CREATE TABLE blog_change (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        blogId INTEGER NOT NULL,
                        origin TEXT NOT NULL,
                        at DATETIME NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("027-migration-leases") { db in
            try db.execute(
                sql: """
                    -- The runner that holds a running migration, until when: it renews the lease
                    -- while it works; once it runs out (the runner died) another takes it over.
                    ALTER TABLE migration ADD COLUMN leaseHolder TEXT;
                    ALTER TABLE migration ADD COLUMN leaseUntil DATETIME;
                    """)
        }
    }

    /// How long changes are kept for the processes that follow them: far longer than any
    /// process takes between two looks.
    public static let changeRetention: TimeInterval = 3_600

    /// Announces here every change another process recorded since the last call (the first
    /// call only notes where the record ends: what was rendered before is rendered afresh
    /// anyway). Answers how many were announced.
    @discardableResult
    public func announceOthersChanges() async throws -> Int {
        let origin = changes.origin
        let last = changes.followed
        let (end, changed) = try await writer.read { db -> (Int64, [(blog: Int64, identity: Int64?)]) in
            guard let last else { return (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM blog_change") ?? 0, []) }
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, blogId, identityId, origin FROM blog_change WHERE id > ? ORDER BY id LIMIT 1000", arguments: [last])
            let others = rows.filter { ($0["origin"] as String) != origin }
            return (rows.last?["id"] ?? last, others.map { ($0["blogId"], $0["identityId"]) })
        }
        changes.follow(to: end)
        let blogs = distinct(changed.filter { $0.identity == nil }.map { BlogID($0.blog) })
        let profiles = distinct(changed.compactMap { $0.identity.map(IdentityID.init) })
        await changes.announce(blogs)
        await changes.announceProfiles(profiles)
        return blogs.count + profiles.count
    }

    private func distinct<Subject: Hashable>(_ subjects: [Subject]) -> [Subject] {
        var seen = Set<Subject>()
        return subjects.filter { seen.insert($0).inserted }
    }

    /// Forgets the changes older than `changeRetention`.
    public func forgetOldChanges(at now: Date = Date()) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM blog_change WHERE at < ?", arguments: [now.addingTimeInterval(-Self.changeRetention)])
        }
    }
}

extension AppDatabase: ChangeFollowing {
    /// Looks at `blog_change` every `interval` (one read of its newest rows), and forgets the
    /// rows older than `changeRetention` once a minute.
    public func followOthersChanges(every interval: Duration, failed: @escaping @Sendable (any Error) -> Void) async {
        var sincePrune: Duration = .zero
        while !Task.isCancelled {
            do {
                try await announceOthersChanges()
                if sincePrune >= BlogChanges.pruneInterval {
                    sincePrune = .zero
                    try await forgetOldChanges()
                }
            } catch {
                if !Task.isCancelled { failed(error) }
            }
            try? await Task.sleep(for: interval)
            sincePrune += interval
        }
    }
}
