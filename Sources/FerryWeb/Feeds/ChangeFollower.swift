import FerryStore
import Foundation
import Logging
import ServiceLifecycle

/// Follows the changes other processes make to the database — a `ferry import --merge` run
/// beside the server — so that what this server rendered from a blog (its feed, in memory and
/// in `feeds/`) is rendered again at once, not at the next restart. A look costs one read of
/// the newest rows of `blog_change`; changes older than the retention are forgotten once a
/// minute. A failed look is logged and the next one tries again.
struct ChangeFollower: Service {
    let database: AppDatabase
    let interval: Duration
    let logger: Logger

    static let pruneInterval: Duration = .seconds(60)

    func run() async throws {
        var sincePrune: Duration = .zero
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await database.announceOthersChanges()
                if sincePrune >= Self.pruneInterval {
                    sincePrune = .zero
                    try await database.forgetOldChanges()
                }
            } catch {
                logger.error("changes of other processes were not followed", metadata: ["ferry.error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
            sincePrune += interval
        }
    }
}
