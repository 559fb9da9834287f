import FerryCore
import FerryImport
import FerryStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// ferry's own WebSub hub (W3C WebSub): the topics are the subscription documents of public
/// and hidden blogs, `{site}/{slug}/feed.atom`. Requests are recorded and answered at once;
/// `WebSubDeliverer` verifies them and delivers each change later, so neither a subscriber
/// nor a publishing request ever waits for another.
final class WebSubHub: Sendable {
    let database: any Store
    let publisher: FeedPublisher
    let settings: WebSubSettings
    let client: CallbackClient
    let logger: Logger
    /// Wakes the deliverer when work was added here.
    let work = WorkSignal()
    /// The document last announced to the external hub, per blog.
    private let announced = Mutex<[BlogID: String]>([:])

    init(database: any Store, publisher: FeedPublisher, settings: WebSubSettings, client: CallbackClient, logger: Logger) {
        self.database = database
        self.publisher = publisher
        self.settings = settings
        self.client = client
        self.logger = logger
    }

    /// The blog whose feed `topic` is, as the subscriber must name it (the feed's `self`).
    func topicSlug(_ topic: String) -> BlogSlug? {
        let prefix = publisher.feed.site.url + "/"
        guard topic.hasPrefix(prefix) else { return nil }
        let path = topic.dropFirst(prefix.count)
        guard path.hasSuffix("/feed.atom"), let slug = try? BlogSlug(validating: String(path.dropLast("/feed.atom".count))),
            SitePath.feed(slug) == "/" + path
        else { return nil }
        return slug
    }

    /// Records a verified-later request and wakes the deliverer.
    func accept(_ request: WebSubRequest) async throws {
        try await database.requestWebSub(request, limits: settings.limits, at: Date())
        work.signal()
    }

    /// A change of `blog` was rendered as `rendered` (nil: the blog is private, gone, or failed
    /// to render): its topic, if it has subscribers, is marked at that document (one write; the
    /// deliverer makes the subscribers due it), and the external hub, if any, is told. Never
    /// waits for a subscriber.
    func topicChanged(_ blog: BlogID, rendered: RenderedDocument?) async {
        do {
            if try await database.markWebSubTopicChanged(blog, contentTag: rendered?.etag ?? Self.withdrawn, at: Date()) {
                work.signal()
            }
        } catch {
            logger.error("WebSub subscribers were not told of a change", metadata: ["ferry.blog.id": "\(blog)", "ferry.error": "\(error)"])
        }
        if let hub = settings.externalHub, let rendered, let slug = publisher.slug(of: blog) {
            let isNew = announced.withLock { announced in
                if announced.count > 100_000 { announced.removeAll() }
                return announced.updateValue(rendered.etag, forKey: blog) != rendered.etag
            }
            guard isNew else { return }
            let topic = publisher.feed.absolute(SitePath.feed(slug))
            Task { await self.ping(hub, topic: topic) }
        }
    }

    /// The tag of "no document": the deliverer then finds the topic private or gone and ends
    /// its subscriptions, or renders it again.
    static let withdrawn = "withdrawn"

    /// `hub.mode=publish` to the external hub; its failure is logged, nothing else.
    private func ping(_ hub: String, topic: String) async {
        var pinger = client
        pinger.allowPrivateAddresses = true  // the operator's own setting, not a stranger's
        let form = WebSubForm.encode([("hub.mode", "publish"), ("hub.topic", topic)])
        do {
            let answer = try await pinger.send(
                .POST, to: hub, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: form))
            guard (200..<300).contains(answer.status) else {
                logger.warning(
                    "the external WebSub hub refused a ping", metadata: ["ferry.websub.status": "\(answer.status)", "ferry.websub.topic": "\(topic)"])
                return
            }
        } catch {
            logger.warning("the external WebSub hub was not pinged", metadata: ["ferry.websub.topic": "\(topic)", "ferry.error": "\(error)"])
        }
    }
}

/// `application/x-www-form-urlencoded`, as WebSub's requests and verifications use it.
enum WebSubForm {
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `callback` with `fields` added to the query it already has.
    static func address(_ callback: String, adding fields: [(String, String)]) -> String {
        let separator = callback.contains("?") ? "&" : "?"
        return callback + separator + encode(fields)
    }
}

/// A wake-up call that is never lost: a signal while nobody waits is kept for the next wait.
final class WorkSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.pending = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns at the next signal (or at once for one that came since the last wait), after
    /// `limit`, or when the task is cancelled. One waiter at a time.
    func wait(upTo limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nextSignal() }
            group.addTask {
                try? await Task.sleep(for: limit)
                self.release()
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func nextSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    guard !state.pending, !Task.isCancelled else {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            release()
        }
    }

    /// Ends a wait without a signal.
    private func release() {
        state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }?.resume()
    }
}
