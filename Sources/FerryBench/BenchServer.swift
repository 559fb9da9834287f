import AsyncHTTPClient
import FerryCore
import FerrySeed
import FerryStore
import FerryWeb
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// A real ferry server on a free loopback port, with an HTTP client sized for the load, for
/// as long as a benchmark drives it.
struct BenchServer {
    var configuration: FerryConfiguration
    var concurrency: Int

    func run<Result: Sendable>(_ drive: @escaping @Sendable (HTTPClient, String) async throws -> Result) async throws -> Result {
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
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw BenchmarkError(message: "the server did not start") }
            var clientConfiguration = HTTPClient.Configuration()
            clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await drive(client, "http://127.0.0.1:\(port)"))
            } catch {
                outcome = .failure(error)
            }
            try? await client.shutdown()
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try outcome.get()
        }
    }
}

/// `POST /api/sessions` as one of the seeded identities.
func signInRequest(base: String, handle: Handle) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: base + "/api/sessions")
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(string: #"{"handle":"\#(handle)","password":"\#(Seeder.password)"}"#))
    return request
}

/// Signs a seeded identity in and returns its bearer token.
func signIn(_ handle: Handle, client: HTTPClient, base: String) async throws -> String {
    struct Session: Decodable { var token: String }
    let response = try await client.execute(signInRequest(base: base, handle: handle), timeout: .seconds(60))
    let body = try await response.body.collect(upTo: 1 << 16)
    guard response.status == .ok, let session = try? JSONDecoder().decode(Session.self, from: Data(body.readableBytesView)) else {
        throw BenchmarkError(message: "could not sign in \(handle): \(response.status)")
    }
    return session.token
}

/// The most memory this process (server included) has held, from Linux's `VmHWM`; nil elsewhere.
public func peakMemoryMegabytes() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes / 1_024
}

struct BenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
