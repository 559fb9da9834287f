import FerryCore
import FerryImport
import FerryRender
import FerryStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Sends what the hub owes its subscribers: verifications of intent, then every document a
/// subscriber is due. Work is taken from the database under a claim (so a restart, or a node
/// that dies, loses none of it), and up to `requestsSideBySide` requests run at once, each
/// within one deadline: a slow or dead callback holds only its own place.
struct WebSubDeliverer: Service {
    let hub: WebSubHub
    /// How long a claim lasts: longer than any one request may take.
    var claim: TimeInterval = 60
    /// The longest sleep between looks for work due (retries fall due without a signal).
    var idle: Duration = .seconds(5)

    private var database: any Store { hub.database }
    private var settings: WebSubSettings { hub.settings }
    private var logger: Logger { hub.logger }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await deliver()
        }
    }

    private enum Finished {
        case request
        case wake
    }

    private func deliver() async {
        let capacity = max(1, settings.requestsSideBySide)
        await withTaskGroup(of: Finished.self) { group in
            var running = 0
            var waiting = false
            while !Task.isCancelled {
                // Work is taken in batches, once half the places are free: one claim per
                // batch, not one per finished request.
                let taken = running <= capacity / 2 ? await take(upTo: capacity - running) : []
                for job in taken {
                    group.addTask {
                        await perform(job)
                        return .request
                    }
                }
                running += taken.count
                guard taken.isEmpty || running > capacity / 2 else { continue }
                if !waiting {
                    waiting = true
                    let pause = await pause()
                    group.addTask {
                        await hub.work.wait(upTo: pause)
                        return .wake
                    }
                }
                switch await group.next() {
                case .request: running -= 1
                case .wake: waiting = false
                case nil: return
                }
            }
            group.cancelAll()
        }
    }

    private enum Job {
        case verify(WebSubPendingRequest)
        case deliver(WebSubDelivery)
    }

    /// Work due now, verifications first; none when the database cannot be read (logged).
    private func take(upTo limit: Int) async -> [Job] {
        guard limit > 0 else { return [] }
        do {
            let now = Date()
            let requests = try await database.claimWebSubRequests(limit: limit, for: claim, at: now)
            guard requests.count < limit else { return requests.map(Job.verify) }
            let deliveries = try await database.claimWebSubDeliveries(limit: limit - requests.count, for: claim, at: now)
            return requests.map(Job.verify) + deliveries.map(Job.deliver)
        } catch {
            if !Task.isCancelled { logger.error("WebSub work could not be taken", metadata: ["ferry.error": "\(error)"]) }
            return []
        }
    }

    /// How long to sleep when nothing is due: until the next retry, at most `idle`.
    private func pause() async -> Duration {
        guard let next = try? await database.nextWebSubWork(at: Date()) else { return idle }
        let seconds = max(0.01, min(next.timeIntervalSinceNow, TimeInterval(idle.components.seconds)))
        return .milliseconds(Int(seconds * 1000))
    }

    private func perform(_ job: Job) async {
        do {
            switch job {
            case .verify(let request): try await verify(request)
            case .deliver(let delivery): try await deliver(delivery)
            }
        } catch {
            // The claim runs out and the work is taken again.
            logger.error("WebSub work failed and will be taken again", metadata: ["ferry.error": "\(error)"])
        }
    }

    /// Verification of intent (WebSub §5.3): a GET to the callback that verifies only with a
    /// 2xx echoing the challenge. A subscription to a topic that is no longer one is denied.
    private func verify(_ pending: WebSubPendingRequest) async throws {
        let request = pending.request
        var document: RenderedDocument?
        if request.mode == .subscribe {
            guard let (_, feed, _) = try await hub.publisher.document(of: request.blog, tagged: nil) else {
                await deny(request.callback, topic: request.topic, reason: "the topic is not a public or hidden feed")
                try await record { try await database.finishWebSubRequest(pending, verified: false, contentTag: "", at: Date()) }
                return
            }
            document = feed
        }
        let challenge = UUID().uuidString + UUID().uuidString
        var fields = [("hub.mode", request.mode.rawValue), ("hub.topic", request.topic), ("hub.challenge", challenge)]
        if request.mode == .subscribe { fields.append(("hub.lease_seconds", String(request.leaseSeconds))) }
        let verified: Bool
        do {
            let answer = try await client.send(.GET, to: WebSubForm.address(request.callback, adding: fields))
            if (500..<600).contains(answer.status), pending.attempts + 1 < settings.verificationAttempts {
                try await retryLater(pending)
                return
            }
            verified = (200..<300).contains(answer.status) && answer.body == challenge
            if !verified {
                logger.notice(
                    "a WebSub callback did not confirm its request",
                    metadata: ["ferry.websub.callback": "\(request.callbackHost)", "ferry.websub.status": "\(answer.status)"])
            }
        } catch {
            logger.notice("a WebSub callback did not answer", metadata: ["ferry.websub.callback": "\(request.callbackHost)", "ferry.error": "\(error)"])
            guard pending.attempts + 1 >= settings.verificationAttempts else {
                try await retryLater(pending)
                return
            }
            verified = false
        }
        let tag = document?.etag ?? ""
        try await record { try await database.finishWebSubRequest(pending, verified: verified, contentTag: tag, at: Date()) }
    }

    /// Content distribution (WebSub §7): the whole document with the topic's type and
    /// discovery links, signed when the subscriber gave a secret. 2xx delivers; 410 ends the
    /// subscription; anything else is tried again later, while the lease lasts.
    private func deliver(_ delivery: WebSubDelivery) async throws {
        guard let (slug, document, renderedAt) = try await hub.publisher.document(of: delivery.blog, tagged: delivery.contentTag) else {
            if let slug = hub.publisher.slug(of: delivery.blog) {
                let topic = hub.publisher.feed.absolute(SitePath.feed(slug))
                await deny(delivery.callback, topic: topic, reason: "the topic is no longer a public or hidden feed")
            }
            try await record { try await database.finishWebSubDelivery(delivery, .ended, at: Date()) }
            return
        }
        var headers: HTTPHeaders = ["Content-Type": AtomDocument.contentType, "Link": hub.publisher.feed.discoveryLinks(slug)]
        if let secret = delivery.secret {
            headers.add(name: "X-Hub-Signature", value: settings.signature.header(for: document.body.readableBytesView, secret: secret))
        }
        let outcome: WebSubDeliveryOutcome
        do {
            let answer = try await client.send(.POST, to: delivery.callback, headers: headers, body: document.body)
            switch answer.status {
            case 200..<300: outcome = .delivered(contentTag: document.etag, renderedAt: renderedAt)
            case 410: outcome = .ended
            default: outcome = retry(delivery, because: "answered \(answer.status)")
            }
        } catch {
            outcome = retry(delivery, because: error.message)
        }
        let settled = outcome
        try await record { try await database.finishWebSubDelivery(delivery, settled, at: Date()) }
        // A retry may fall due before the deliverer's current sleep ends: it looks again.
        if case .retry = outcome { hub.work.signal() }
    }

    private func retryLater(_ pending: WebSubPendingRequest) async throws {
        let next = Date().addingTimeInterval(settings.retryDelay(after: pending.attempts))
        try await record { try await database.retryWebSubRequest(pending, at: next) }
        hub.work.signal()
    }

    private func retry(_ delivery: WebSubDelivery, because reason: String) -> WebSubDeliveryOutcome {
        let next = Date().addingTimeInterval(settings.retryDelay(after: delivery.attempts))
        // The host only: a callback's query may hold the subscriber's own secrets.
        let host = URLComponents(string: delivery.callback)?.host ?? "?"
        logger.notice("a WebSub delivery failed", metadata: ["ferry.websub.callback": "\(host)", "ferry.websub.reason": "\(reason)"])
        return next < delivery.expiresAt ? .retry(at: next) : .ended
    }

    /// Tells a subscriber its subscription was denied or has ended (WebSub §5.2); whether it
    /// heard does not matter.
    private func deny(_ callback: String, topic: String, reason: String) async {
        _ = try? await client.send(.GET, to: WebSubForm.address(callback, adding: [("hub.mode", "denied"), ("hub.topic", topic), ("hub.reason", reason)]))
    }

    private var client: CallbackClient { hub.client }

    /// Runs a write to its end even while the deliverer is cancelled (a graceful shutdown
    /// interrupts requests under way): what a request achieved, or that it must be tried
    /// again, is recorded, rather than left to a claim that runs out a minute later.
    private func record(_ write: @escaping @Sendable () async throws -> Void) async throws {
        try await Task { try await write() }.value
    }
}
