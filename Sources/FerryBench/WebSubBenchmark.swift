import AsyncHTTPClient
import FerryCore
import FerryStore
import FerryWeb
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Push to many subscribers: a blog with `subscribers` WebSub subscribers on loopback (one
/// server answering every callback), `publishes` posts published one after another; from each
/// publish to its last delivery, each delivery's own time, and the publishing request's
/// latency with those subscribers against the same blog's without any (the reference, same run).
public struct WebSubBenchmark: Sendable {
    public var configuration: FerryConfiguration
    public var subscribers: Int
    public var publishes: Int

    public init(configuration: FerryConfiguration, subscribers: Int, publishes: Int) {
        self.configuration = configuration
        self.subscribers = subscribers
        self.publishes = publishes
    }

    public struct Outcome: Sendable {
        /// POST answered 201, with no subscriber: the reference.
        public var publishAlone: [Duration]
        public var publishWithSubscribers: [Duration]
        /// From sending each publishing request to its last delivery.
        public var toLastDelivery: [Duration]
        /// From sending each publishing request to each of its deliveries.
        public var toEachDelivery: [Duration]
    }

    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        var configuration = configuration
        configuration.allowPrivateMediaAddresses = true
        configuration.webSub.limits.perCallbackHost = subscribers + 1
        configuration.webSub.limits.perTopic = subscribers + 1
        let arrivals = Arrivals()
        return try await withLoopbackSubscriber(arrivals) { callbackBase in
            try await BenchServer(configuration: configuration, concurrency: 32).run { client, base in
                let token = try await setUp(client, base)
                progress("publishing \(publishes) posts with no subscriber")
                var alone: [Duration] = []
                for round in 0..<publishes { alone.append(try await publish(client, base, token, title: "Alone \(round)")) }
                progress("subscribing \(subscribers) callbacks")
                try await subscribeAll(client, base, callbackBase)
                try await waitForSubscribers(client, base, token)
                progress("publishing \(publishes) posts to \(subscribers) subscribers")
                var outcome = Outcome(publishAlone: alone, publishWithSubscribers: [], toLastDelivery: [], toEachDelivery: [])
                let clock = ContinuousClock()
                for round in 1...publishes {
                    let start = clock.now
                    outcome.publishWithSubscribers.append(try await publish(client, base, token, title: "Pushed \(round)"))
                    let deadline = clock.now + .seconds(120)
                    while arrivals.count < round * subscribers {
                        guard clock.now < deadline else { throw BenchmarkError(message: "round \(round): not every subscriber was delivered to") }
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    let times = arrivals.since((round - 1) * subscribers).map { $0 - start }
                    outcome.toEachDelivery += times
                    outcome.toLastDelivery.append(times.max() ?? .zero)
                }
                return outcome
            }
        }
    }

    private func setUp(_ client: HTTPClient, _ base: String) async throws -> String {
        _ = try await send(client, .POST, base + "/api/identities", json: #"{"handle":"publisher","password":"correct horse","displayName":"Publisher"}"#)
        struct Session: Decodable { var token: String }
        let session = try await send(client, .POST, base + "/api/sessions", json: #"{"handle":"publisher","password":"correct horse"}"#)
        guard let token = try? JSONDecoder().decode(Session.self, from: session).token else { throw BenchmarkError(message: "could not sign in") }
        _ = try await send(client, .POST, base + "/api/blogs", token: token, json: #"{"slug":"pushed","title":"Pushed","language":"en"}"#)
        return token
    }

    private func publish(_ client: HTTPClient, _ base: String, _ token: String, title: String) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await send(client, .POST, base + "/api/blogs/pushed/posts", token: token, json: #"{"title":"\#(title)","content":"<p>News</p>"}"#)
        return clock.now - start
    }

    private func subscribeAll(_ client: HTTPClient, _ base: String, _ callbackBase: String) async throws {
        let topic = (base + "/pushed/feed.atom").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<subscribers {
                if number >= 32 { try await group.next() }
                group.addTask {
                    var request = HTTPClientRequest(url: base + SitePath.webSubHub)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                    let callback = (callbackBase + "/cb/\(number)").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    request.body = .bytes(ByteBuffer(string: "hub.mode=subscribe&hub.topic=\(topic)&hub.callback=\(callback)&hub.secret=s\(number)"))
                    let response = try await client.execute(request, timeout: .seconds(60))
                    guard response.status == .accepted else { throw BenchmarkError(message: "subscribing answered \(response.status)") }
                }
            }
            try await group.waitForAll()
        }
    }

    private func waitForSubscribers(_ client: HTTPClient, _ base: String, _ token: String) async throws {
        struct Status: Decodable { var subscribers: Int }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while clock.now < deadline {
            let body = try await send(client, .GET, base + "/api/blogs/pushed/websub", token: token)
            if (try? JSONDecoder().decode(Status.self, from: body))?.subscribers == subscribers { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError(message: "the subscriptions were not all verified within 120 s")
    }

    private func send(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, token: String? = nil, json: String? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else { throw BenchmarkError(message: "\(method) \(url) answered \(response.status)") }
        return Data(body.readableBytesView)
    }
}

/// One loopback server answering every callback: it echoes verifications' challenges and
/// records when each delivery arrived.
private func withLoopbackSubscriber<Result: Sendable>(
    _ arrivals: Arrivals, _ body: (String) async throws -> Result
) async throws -> Result {
    let router = Router()
    router.get("/cb/{number}") { request, _ -> String in request.uri.queryParameters.get("hub.challenge") ?? "" }
    router.post("/cb/{number}") { request, _ -> HTTPResponse.Status in
        _ = try await request.body.collect(upTo: 4 << 20)
        arrivals.record()
        return .noContent
    }
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var quiet = Logger(label: "subscribers")
    quiet.logLevel = .critical
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: quiet)
    return try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchmarkError(message: "the subscribers did not start") }
        let result = try await body("http://127.0.0.1:\(port)")
        group.cancelAll()
        return result
    }
}

/// When each delivery arrived, in order.
private final class Arrivals: Sendable {
    private let times = Mutex<[ContinuousClock.Instant]>([])

    var count: Int { times.withLock { $0.count } }

    func record() {
        times.withLock { $0.append(ContinuousClock.now) }
    }

    func since(_ index: Int) -> [ContinuousClock.Instant] {
        times.withLock { Array($0[index...]) }
    }
}
