import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: ChangeFollowing {
    /// Listens on `ferry_blog_change`: PostgreSQL tells every listening node of each change (of a
    /// blog: its id; of a profile: `p` and the identity's id) as
    /// its transaction commits, so `interval` is only the pause before listening again after
    /// a lost connection. What was recorded while not listening is read back from
    /// `blog_change` (from a second before the loss: node clocks need only agree that well).
    public func followOthersChanges(every interval: Duration, failed: @escaping @Sendable (any Error) -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while (try? await Task.sleep(for: BlogChanges.pruneInterval)) != nil {
                    do {
                        try await self.forgetOldChanges()
                    } catch {
                        if !Task.isCancelled { failed(error) }
                    }
                }
            }
            group.addTask {
                var lost: Date?
                while !Task.isCancelled {
                    do {
                        try await self.listenForChanges(catchingUpSince: lost)
                    } catch {
                        if !Task.isCancelled { failed(error) }
                    }
                    lost = Date().addingTimeInterval(-1)
                    try? await Task.sleep(for: interval)
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Forgets the changes older than the retention.
    public func forgetOldChanges(at now: Date = Date()) async throws {
        try await client.query("DELETE FROM blog_change WHERE at < \(now.addingTimeInterval(-AppDatabase.changeRetention))", logger: logger)
    }

    private func listenForChanges(catchingUpSince lost: Date?) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: changeChannel) { notifications in
                if let lost {
                    let missed = try await connection.query(
                        "SELECT DISTINCT blogId, identityId FROM blog_change WHERE at >= \(lost) AND origin <> \(changes.origin)", logger: logger
                    ).decode((Int64, Int64?).self).all()
                    await changes.announce(missed.filter { $0.1 == nil }.map { BlogID($0.0) })
                    await changes.announceProfiles(missed.compactMap { $0.1.map(IdentityID.init) })
                }
                for try await notification in notifications {
                    let parts = notification.payload.split(separator: " ", maxSplits: 1)
                    guard parts.count == 2, parts[1] != changes.origin else { continue }
                    if parts[0].hasPrefix("p"), let identity = Int64(parts[0].dropFirst()) {
                        await changes.announceProfiles([IdentityID(identity)])
                    } else if let blog = Int64(parts[0]) {
                        await changes.announce(BlogID(blog))
                    }
                }
            }
        }
    }
}
