import AsyncHTTPClient
import FerryCore
import FerryStore
import FerryWeb
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// The first benchmark: sign-in and `GET /api/me/contacts` under concurrent load against a
/// seeded database, each compared with `GET /healthz` measured in the same run — the cost of
/// a request that does no work, on the same machine, at the same moment.
public struct ContactsBenchmark: Sendable {
    public var configuration: FerryConfiguration
    public var identities: Int
    public var contactsEach: Int
    public var concurrency: Int
    public var requests: Int
    public var signIns: Int

    public init(configuration: FerryConfiguration, identities: Int, contactsEach: Int, concurrency: Int, requests: Int, signIns: Int) {
        self.configuration = configuration
        self.identities = identities
        self.contactsEach = contactsEach
        self.concurrency = concurrency
        self.requests = requests
        self.signIns = signIns
    }

    /// Seeds the data folder if it holds fewer identities than asked, runs the server on a free
    /// loopback port, drives the three phases, and returns their results, reference first.
    public func run(report: @Sendable (String) -> Void) async throws -> [PhaseResult] {
        let database = try AppDatabase.open(directory: configuration.dataDirectory)
        let existing = try await database.identityCount()
        if existing < identities {
            report("seeding \(identities - existing) identities…")
            let hash = PasswordHasher(cost: configuration.bcryptCost)
            _ = try await database.seed(
                identities: identities - existing, contactsEach: contactsEach,
                passwordHash: try await hash.hash(AppDatabase.seedPassword)
            )
        }
        try database.close()

        var serverConfiguration = configuration
        serverConfiguration.host = "127.0.0.1"
        serverConfiguration.port = 0
        var logger = Logger(label: "ferry.bench")
        logger.logLevel = .warning
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try await buildApplication(configuration: serverConfiguration, logger: logger) { port in
            portContinuation.yield(port)
        }
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: [PhaseResult].self) { group in
            group.addTask {
                try await services.run()
                return []
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return [] }
            let results = try await drive(base: "http://127.0.0.1:\(port)", report: report)
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return results
        }
    }

    private func drive(base: String, report: @Sendable (String) -> Void) async throws -> [PhaseResult] {
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        do {
            let results = try await phases(client: client, base: base, report: report)
            try await client.shutdown()
            return results
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func phases(client: HTTPClient, base: String, report: @Sendable (String) -> Void) async throws -> [PhaseResult] {
        report("reference: GET /healthz")
        let reference = await runPhase("healthz (reference)", client: client, total: requests, concurrency: concurrency) { _ in
            HTTPClientRequest(url: base + "/healthz")
        }
        report("sign-in: POST /api/sessions")
        let identities = self.identities
        let tokens = TokenJar()
        let signIn = await runPhase("sign-in", client: client, total: signIns, concurrency: concurrency) { index in
            Self.signInRequest(base: base, handle: AppDatabase.seedHandle((index * 7_919) % identities))
        }
        try await collectTokens(client: client, base: base, into: tokens, count: min(concurrency, identities))
        let held = await tokens.all
        guard !held.isEmpty else { throw BenchmarkError(message: "could not sign in any seeded identity") }
        report("contacts: GET /api/me/contacts")
        let contacts = await runPhase("contacts page", client: client, total: requests, concurrency: concurrency) { index in
            var request = HTTPClientRequest(url: base + "/api/me/contacts?limit=50")
            request.headers.add(name: "Authorization", value: "Bearer \(held[index % held.count])")
            return request
        }
        return [reference, signIn, contacts]
    }

    /// Signs in `count` different identities and keeps their tokens for the contacts phase.
    private func collectTokens(client: HTTPClient, base: String, into jar: TokenJar, count: Int) async throws {
        struct Session: Decodable { var token: String }
        for index in 0..<count {
            let request = Self.signInRequest(base: base, handle: AppDatabase.seedHandle(index * max(1, identities / max(1, count))))
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 16)
            if response.status == .ok, let session = try? JSONDecoder().decode(Session.self, from: Data(body.readableBytesView)) {
                await jar.add(session.token)
            }
        }
    }

    /// `POST /api/sessions` as one of the seeded identities.
    private static func signInRequest(base: String, handle: Handle) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + "/api/sessions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"handle":"\#(handle)","password":"\#(AppDatabase.seedPassword)"}"#))
        return request
    }

    /// The results as a table, with each phase's throughput and median latency relative to the reference.
    public static func table(_ results: [PhaseResult]) -> String {
        guard let reference = results.first else { return "" }
        var lines = [
            "phase                 requests  failed      req/s   p50 ms   p99 ms   req/s vs ref   p50 vs ref"
        ]
        for result in results {
            let throughputRatio = result.requestsPerSecond / reference.requestsPerSecond
            let medianRatio = result.percentile(0.5).milliseconds / max(reference.percentile(0.5).milliseconds, 0.001)
            lines.append(
                result.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(format: " %9d %7d %10.1f %8.2f %8.2f %14.3f %12.2f",
                             result.requests, result.failures, result.requestsPerSecond,
                             result.percentile(0.5).milliseconds, result.percentile(0.99).milliseconds,
                             throughputRatio, medianRatio)
            )
        }
        return lines.joined(separator: "\n")
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

private actor TokenJar {
    private(set) var all: [String] = []
    func add(_ token: String) { all.append(token) }
}
