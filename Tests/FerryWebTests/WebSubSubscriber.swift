import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A WebSub subscriber on loopback, for the hub's tests: it answers verifications of intent at
/// `/{name}` (echoing the challenge unless told otherwise) and records every request, and it
/// answers deliveries with the statuses it is given, one per delivery, then 200.
final class TestSubscriber: Sendable {
    struct Received: Sendable {
        var name: String
        var method: String
        var query: [String: String]
        var headers: HTTPFields
        var body: String
    }

    enum Verification: Sendable {
        case echo
        case wrongChallenge
        case status(Int)
        /// 302 to `/{name}` on this subscriber, which would echo the challenge.
        case redirect(to: String)
    }

    private struct State {
        var received: [Received] = []
        var statuses: [String: [Int]] = [:]
        var verification: [String: Verification] = [:]
        var held: Set<String> = []
    }

    private let state = Mutex(State())
    let base: String

    init(base: String) {
        self.base = base
    }

    func callback(_ name: String, query: String? = nil) -> String {
        base + "/" + name + (query.map { "?" + $0 } ?? "")
    }

    /// The statuses the next deliveries to `name` are answered with.
    func answerDeliveries(to name: String, with statuses: [Int]) {
        state.withLock { $0.statuses[name] = statuses }
    }

    func answerVerifications(to name: String, with verification: Verification) {
        state.withLock { $0.verification[name] = verification }
    }

    /// Makes every request to `name` wait, unanswered, until `release(name)`.
    func hold(_ name: String) {
        _ = state.withLock { $0.held.insert(name) }
    }

    func release(_ name: String) {
        _ = state.withLock { $0.held.remove(name) }
    }

    var received: [Received] { state.withLock { $0.received } }

    func verifications(of name: String) -> [Received] { received.filter { $0.name == name && $0.method == "GET" } }
    func deliveries(to name: String) -> [Received] { received.filter { $0.name == name && $0.method == "POST" } }

    /// Waits until `condition` holds of what was received, for at most `limit`.
    func waitFor(_ limit: Duration = .seconds(15), _ condition: ([Received]) -> Bool) async throws {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while !condition(received) {
            guard clock.now < end else { throw SubscriberTimeout(received: received.map { "\($0.method) \($0.name) \($0.query)" }) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    fileprivate func answer(_ request: Request, name: String) async throws -> Response {
        let body = try await request.body.collect(upTo: 4 << 20)
        let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
        let method = request.method == .get ? "GET" : "POST"
        let (verification, status) = state.withLock { state -> (Verification, Int) in
            state.received.append(Received(name: name, method: method, query: query, headers: request.headers, body: String(buffer: body)))
            var statuses = state.statuses[name] ?? []
            let status = method == "POST" && !statuses.isEmpty ? statuses.removeFirst() : 200
            state.statuses[name] = statuses
            return (state.verification[name] ?? .echo, status)
        }
        while state.withLock({ $0.held.contains(name) }) { try await Task.sleep(for: .milliseconds(20)) }
        guard method == "GET" else { return Response(status: .init(code: status)) }
        switch verification {
        case .echo: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: query["hub.challenge"] ?? "")))
        case .wrongChallenge: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "not the challenge")))
        case .status(let code): return Response(status: .init(code: code))
        case .redirect(let target):
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return Response(status: .found, headers: [.location: base + "/" + target + query])
        }
    }
}

struct SubscriberTimeout: Error, CustomStringConvertible {
    var received: [String]
    var description: String { "the subscriber did not receive what was expected; it received \(received)" }
}

/// Runs `body` with a subscriber listening on loopback.
func withSubscriber(_ body: (TestSubscriber) async throws -> Void) async throws {
    let router = Router()
    let subscriber = Mutex<TestSubscriber?>(nil)
    @Sendable func answer(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let current = subscriber.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
        return try await current.answer(request, name: String(request.uri.path.dropFirst()))
    }
    router.get("**", use: answer)
    router.post("**", use: answer)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var quiet = Logger(label: "subscriber")
    quiet.logLevel = .critical
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: quiet)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        let current = TestSubscriber(base: "http://127.0.0.1:\(port)")
        subscriber.withLock { $0 = current }
        try await body(current)
        group.cancelAll()
    }
}
