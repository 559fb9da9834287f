import FerryStore
import Foundation
import Logging
import ServiceLifecycle

/// Follows the changes other processes make to the database — another node, or a
/// `ferry import --merge` run beside the server — so that what this server rendered from a
/// blog (its feed, in memory and in `feeds/`) is rendered again at once, not at the next
/// restart. How it hears of them is the backend's (`ChangeFollowing`); a failed look is logged
/// and following goes on.
struct ChangeFollower: Service {
    let store: any ChangeFollowing
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let logger = logger
        await cancelWhenGracefulShutdown {
            await store.followOthersChanges(every: interval) { error in
                logger.error("changes of other processes were not followed", metadata: ["ferry.error": "\(error)"])
            }
        }
    }
}
