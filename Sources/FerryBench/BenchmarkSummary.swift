import Foundation

/// Rows of the project's one benchmark table (`scripts/bench` prints them together at the end):
/// benchmark, measurement, ferry's result, the reference measured in the same run, the ratio
/// (saying what it compares) and ferry's peak memory, tab-separated.
public enum BenchmarkSummary {
    public static func append(_ rows: [[String]], to path: String) throws {
        let text = rows.map { $0.joined(separator: "\t") + "\n" }.joined()
        guard let file = FileHandle(forWritingAtPath: path) else {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        defer { try? file.close() }
        try file.seekToEnd()
        try file.write(contentsOf: Data(text.utf8))
    }

    /// A row for each phase after the first, the reference: its throughput and latencies, and
    /// its median latency against the reference's.
    public static func rows(_ results: [PhaseResult], benchmark: String, peakMegabytes: Double?) -> [[String]] {
        guard let reference = results.first else { return [] }
        let referenceText = String(format: "%@: %.0f req/s, p50 %.2f ms", reference.name, reference.requestsPerSecond, reference.percentile(0.5).milliseconds)
        return results.dropFirst().map { result in
            [
                benchmark, result.name,
                String(
                    format: "%.0f req/s, p50 %.2f ms, p99 %.2f ms", result.requestsPerSecond, result.percentile(0.5).milliseconds,
                    result.percentile(0.99).milliseconds),
                referenceText,
                String(format: "%.2fx p50", result.percentile(0.5).milliseconds / max(reference.percentile(0.5).milliseconds, 0.001)),
                peakMegabytes.map { String(format: "%.0f", $0) } ?? "-",
            ]
        }
    }
}
