import FerryCore
import Foundation

/// The WebSub hub's durable state: subscription requests waiting for their verification of
/// intent, and verified subscriptions with the delivery each one is due. Work is taken under a
/// short claim, so nodes sharing the database never send the same request twice at once, and
/// work a stopped process held is taken up again once its claim runs out.
public protocol WebSubStore: Sendable {
    /// Records a request to (un)subscribe, due for verification now. Refuses a new subscriber
    /// (not a renewal) that would take its topic or its callback's host past `limits`.
    func requestWebSub(_ request: WebSubRequest, limits: WebSubLimits, at now: Date) async throws
    /// Takes up to `limit` requests due for verification, each claimed for `duration`.
    func claimWebSubRequests(limit: Int, for duration: TimeInterval, at now: Date) async throws -> [WebSubPendingRequest]
    /// Ends a request after its verification: a verified subscription starts (or renews) with
    /// the lease it asked for, having seen the document tagged `contentTag`; a verified
    /// unsubscription ends it. An unverified one changes nothing.
    func finishWebSubRequest(_ request: WebSubPendingRequest, verified: Bool, contentTag: String, at now: Date) async throws
    /// Tries a request's verification again at `next`.
    func retryWebSubRequest(_ request: WebSubPendingRequest, at next: Date) async throws
    /// The topic of `blog` is now the document tagged `contentTag`: one write, whatever the
    /// number of subscribers, and only when the topic has subscribers and was at another
    /// document. Answers whether it was.
    @discardableResult
    func markWebSubTopicChanged(_ blog: BlogID, contentTag: String, at now: Date) async throws -> Bool
    /// Makes the subscribers of changed topics due their documents, then takes up to `limit`
    /// deliveries that are due, each claimed for `duration`; forgets subscriptions whose lease
    /// ran out.
    func claimWebSubDeliveries(limit: Int, for duration: TimeInterval, at now: Date) async throws -> [WebSubDelivery]
    /// Records how a delivery went.
    func finishWebSubDelivery(_ delivery: WebSubDelivery, _ outcome: WebSubDeliveryOutcome, at now: Date) async throws
    /// When the next request or delivery falls due, if any is waiting.
    func nextWebSubWork(at now: Date) async throws -> Date?
    /// The live subscriptions to `blog`'s topic, by callback.
    func webSubSubscriptions(of blog: BlogID, at now: Date) async throws -> [WebSubSubscription]
}

public enum WebSubMode: String, Sendable {
    case subscribe, unsubscribe
}

/// How many subscriptions one installation takes per topic and per callback host.
public struct WebSubLimits: Sendable {
    public var perTopic = 10_000
    public var perCallbackHost = 1_000

    public init() {}
}

/// A subscriber's request, as the hub accepted it.
public struct WebSubRequest: Sendable {
    public var mode: WebSubMode
    public var blog: BlogID
    /// Exactly as the subscriber sent it: verification echoes it.
    public var topic: String
    public var callback: String
    public var callbackHost: String
    public var secret: String?
    public var leaseSeconds: Int

    public init(mode: WebSubMode, blog: BlogID, topic: String, callback: String, callbackHost: String, secret: String?, leaseSeconds: Int) {
        self.mode = mode
        self.blog = blog
        self.topic = topic
        self.callback = callback
        self.callbackHost = callbackHost
        self.secret = secret
        self.leaseSeconds = leaseSeconds
    }
}

/// A request waiting for (or being sent) its verification of intent.
public struct WebSubPendingRequest: Sendable {
    public var id: Int64
    public var request: WebSubRequest
    /// Verifications tried before this one.
    public var attempts: Int

    public init(id: Int64, request: WebSubRequest, attempts: Int) {
        self.id = id
        self.request = request
        self.attempts = attempts
    }
}

/// A verified subscription.
public struct WebSubSubscription: Sendable, Equatable {
    public var callback: String
    public var expiresAt: Date
    public var contentTag: String
    public var isDue: Bool

    public init(callback: String, expiresAt: Date, contentTag: String, isDue: Bool) {
        self.callback = callback
        self.expiresAt = expiresAt
        self.contentTag = contentTag
        self.isDue = isDue
    }
}

/// A subscriber due the document tagged `contentTag` of `blog`'s topic.
public struct WebSubDelivery: Sendable {
    public var id: Int64
    public var blog: BlogID
    public var callback: String
    public var secret: String?
    public var contentTag: String
    /// Attempts that failed since the document was due.
    public var attempts: Int
    public var expiresAt: Date

    public init(id: Int64, blog: BlogID, callback: String, secret: String?, contentTag: String, attempts: Int, expiresAt: Date) {
        self.id = id
        self.blog = blog
        self.callback = callback
        self.secret = secret
        self.contentTag = contentTag
        self.attempts = attempts
        self.expiresAt = expiresAt
    }
}

public enum WebSubDeliveryOutcome: Sendable, Equatable {
    /// The subscriber has the document tagged `contentTag`: the one kept in memory, or one
    /// rendered from the database at `renderedAt`.
    case delivered(contentTag: String, renderedAt: Date?)
    /// Try again at `next`.
    case retry(at: Date)
    /// The subscription is over: the subscriber answered 410, or the topic is gone.
    case ended
}
