import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The outcome of driving one kind of request at a fixed concurrency.
public struct PhaseResult: Sendable {
    public var name: String
    public var requests: Int
    public var failures: Int
    public var elapsed: Duration
    /// Latencies of the successful requests, sorted ascending.
    public var latencies: [Duration]

    public var requestsPerSecond: Double {
        Double(requests) / elapsed.seconds
    }

    /// The latency below which `fraction` of requests finished.
    public func percentile(_ fraction: Double) -> Duration {
        guard !latencies.isEmpty else { return .zero }
        let index = min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.up)) - 1)
        return latencies[max(0, index)]
    }
}

extension PhaseResult {
    /// The results as a table, with each phase's throughput and median latency relative to the reference.
    public static func table(_ results: [PhaseResult]) -> String {
        guard let reference = results.first else { return "" }
        var lines = [
            "phase                       requests  failed      req/s   p50 ms   p99 ms   req/s vs ref   p50 vs ref"
        ]
        for result in results {
            let throughputRatio = result.requestsPerSecond / reference.requestsPerSecond
            let medianRatio = result.percentile(0.5).milliseconds / max(reference.percentile(0.5).milliseconds, 0.001)
            lines.append(
                result.name.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + String(
                        format: " %9d %7d %10.1f %8.2f %8.2f %14.3f %12.2f",
                        result.requests, result.failures, result.requestsPerSecond,
                        result.percentile(0.5).milliseconds, result.percentile(0.99).milliseconds,
                        throughputRatio, medianRatio)
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    public var milliseconds: Double { seconds * 1_000 }
}

/// Sends `total` requests from `concurrency` workers; `makeRequest(i)` builds the i-th request,
/// and a request counts as successful when its status is `expectedStatus`.
func runPhase(
    _ name: String,
    client: HTTPClient,
    total: Int,
    concurrency: Int,
    expectedStatus: Int = 200,
    makeRequest: @escaping @Sendable (Int) -> HTTPClientRequest
) async -> PhaseResult {
    let clock = ContinuousClock()
    let start = clock.now
    let counter = RequestCounter(total: total)
    let latencies = await withTaskGroup(of: ([Duration], Int).self) { group in
        for _ in 0..<max(1, concurrency) {
            group.addTask {
                var latencies: [Duration] = []
                var failures = 0
                while let index = await counter.next() {
                    let sent = clock.now
                    do {
                        let response = try await client.execute(makeRequest(index), timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 16 << 20)
                        if Int(response.status.code) == expectedStatus {
                            latencies.append(clock.now - sent)
                        } else {
                            failures += 1
                        }
                    } catch {
                        failures += 1
                    }
                }
                return (latencies, failures)
            }
        }
        var all: [Duration] = []
        var failures = 0
        for await (latencies, failed) in group {
            all += latencies
            failures += failed
        }
        return (all.sorted(), failures)
    }
    return PhaseResult(
        name: name, requests: total, failures: latencies.1,
        elapsed: clock.now - start, latencies: latencies.0
    )
}

/// Hands out request numbers 0..<total to the workers.
private actor RequestCounter {
    private var issued = 0
    private let total: Int

    init(total: Int) { self.total = total }

    func next() -> Int? {
        guard issued < total else { return nil }
        defer { issued += 1 }
        return issued
    }
}
