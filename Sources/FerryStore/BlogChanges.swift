import FerryCore
import Synchronization

/// Tells whoever keeps something made from a blog (its rendered feed today) that a committed
/// write changed what the blog shows. The store announces each of its own writes after the
/// commit and before it returns, so a caller that awaited the write finds everything derived
/// from it already fresh.
public final class BlogChanges: Sendable {
    public typealias Listener = @Sendable (BlogID) async -> Void

    private let listeners = Mutex<[Listener]>([])

    init() {}

    /// Adds a listener for every later change.
    public func listen(_ listener: @escaping Listener) {
        listeners.withLock { $0.append(listener) }
    }

    /// Tells every listener that `blogs` changed. The store calls it for its own writes; a
    /// write made on a thread of its own (an import) is announced by whoever awaited it.
    public func announce(_ blogs: [BlogID]) async {
        let listeners = listeners.withLock { $0 }
        for listener in listeners {
            for blog in blogs { await listener(blog) }
        }
    }

    public func announce(_ blog: BlogID) async {
        await announce([blog])
    }
}
