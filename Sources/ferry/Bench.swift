import ArgumentParser
import FerryBench
import FerryWeb
import Foundation
import Logging

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ferry under load on loopback, each against GET /healthz measured in the same run.",
        subcommands: [ContactsBench.self, StreamBench.self, ServingBench.self],
        defaultSubcommand: ContactsBench.self
    )
}

/// A data folder for benchmarks unless one was given: `data/bench-NAME`.
private func benchmarkConfiguration(_ options: ServerOptions, name: String) throws -> FerryConfiguration {
    var configuration = try options.configuration()
    if options.data == nil && ProcessInfo.processInfo.environment["FERRY_DATA"] == nil {
        configuration.dataDirectory = URL(fileURLWithPath: "data/\(name)")
    }
    configuration.logLevel = .warning
    return configuration
}

/// `--summary FILE`: where a benchmark adds its rows of the project's one table (`scripts/bench`).
struct SummaryTable: ParsableArguments {
    @Option(help: "Append this run's rows of the benchmark table (tab-separated) to this file.")
    var summary: String?

    func append(_ rows: [[String]]) throws {
        if let summary { try BenchmarkSummary.append(rows, to: summary) }
    }
}

struct ContactsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Sign-in and contact listing under concurrent load."
    )

    @OptionGroup var options: ServerOptions

    @Option(help: "Identities in the seeded database.")
    var identities = 100_000

    @Option(help: "Contacts per identity.")
    var contacts = 20

    @Option(help: "Requests in flight at once.")
    var concurrency = 32

    @Option(help: "Requests in the reference and contacts phases.")
    var requests = 20_000

    @Option(help: "Requests in the sign-in phase (each costs one bcrypt check).")
    var signIns = 200

    @OptionGroup var table: SummaryTable

    func run() async throws {
        let configuration = try benchmarkConfiguration(options, name: "bench")
        let benchmark = ContactsBenchmark(
            configuration: configuration, identities: identities, contactsEach: contacts,
            concurrency: concurrency, requests: requests, signIns: signIns
        )
        print(
            "ferry bench contacts: \(identities) identities, \(contacts) contacts each, concurrency \(concurrency), bcrypt cost \(configuration.bcryptCost), data \(configuration.dataDirectory.path)"
        )
        let results = try await benchmark.run { line in print("  \(line)") }
        print(PhaseResult.table(results))
        peakMemory()
        let label = configuration.database == nil ? "contacts" : "contacts-pg"
        try table.append(BenchmarkSummary.rows(results, benchmark: label, peakMegabytes: peakMemoryMegabytes()))
    }
}

struct StreamBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "The contact stream for identities with 10, 200 and 1,000+ contacts, and publish-to-visible time."
    )

    @OptionGroup var options: ServerOptions

    @Option(help: "Identities in the generated world (made once, in an empty data folder).")
    var identities = 100_000

    @Option(help: "Activities in the generated world.")
    var activities = 2_000_000

    @Option(help: "Requests in flight at once in the loaded phases.")
    var concurrency = 32

    @Option(help: "Requests per loaded phase (a tenth of it for the one-client phases).")
    var requests = 10_000

    @Option(help: "Posts published for the publish-to-visible measurement.")
    var publishes = 20

    @OptionGroup var table: SummaryTable

    func run() async throws {
        let configuration = try benchmarkConfiguration(options, name: "bench-stream")
        let benchmark = StreamBenchmark(
            configuration: configuration, identities: identities, activities: activities,
            concurrency: concurrency, requests: requests, publishes: publishes
        )
        print("ferry bench stream: \(identities) identities, \(activities) activities, GET /api/me/stream?limit=50, data \(configuration.dataDirectory.path)")
        let outcome = try await benchmark.run { line in print("  \(line)") }
        print(PhaseResult.table(outcome.phases))
        print("publishing as an identity with \(outcome.contactsOfAuthor) contacts, \(outcome.publishToVisible.count) posts:")
        let label = configuration.database == nil ? "stream" : "stream-pg"
        var rows = BenchmarkSummary.rows(outcome.phases, benchmark: label, peakMegabytes: peakMemoryMegabytes())
        for (name, durations) in [("POST answered 201", outcome.publishAnswered), ("visible in 8 contacts' streams", outcome.publishToVisible)] {
            let milliseconds = durations.map(\.milliseconds)
            if let median = milliseconds.dropFirst(milliseconds.count / 2).first, let worst = milliseconds.last {
                print("  \(name): " + String(format: "p50 %.1f ms, max %.1f ms", median, worst))
                rows.append([
                    label, "publish, \(outcome.contactsOfAuthor) contacts: \(name)", String(format: "p50 %.1f ms, max %.1f ms", median, worst),
                    "goal: visible within 100 ms", String(format: "%.2fx goal (p50)", median / 100), rows.first?.last ?? "-",
                ])
            }
        }
        peakMemory()
        try table.append(rows)
    }
}

struct ServingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serving",
        abstract: "Sign-in, posting and commenting on a quiet site, and again while a large migration runs."
    )

    @OptionGroup var options: ServerOptions

    @Option(help: "Posts of the migrated export (3 comments each).")
    var posts = 80_000

    @Option(help: "Requests in flight at once.")
    var concurrency = 4

    @Option(help: "Requests of the quiet phase.")
    var requests = 1_500

    @OptionGroup var table: SummaryTable

    func run() async throws {
        var configuration = try benchmarkConfiguration(options, name: "bench-serving")
        configuration.fetchMedia = false
        let benchmark = ServingBenchmark(configuration: configuration, posts: posts, concurrency: concurrency, quietRequests: requests)
        print(
            "ferry bench serving: \(posts)-post migration, \(concurrency) clients signing in, posting and commenting, bcrypt cost \(configuration.bcryptCost)")
        let outcome = try await benchmark.run { line in print("  \(line)") }
        print(PhaseResult.table(outcome.phases))
        print(String(format: "  the migration ended %@ after %.1f s", outcome.importStatus, outcome.importSeconds))
        var rows: [[String]] = []
        for pair in stride(from: 0, to: outcome.phases.count - 1, by: 2) {
            let (quiet, busy) = (outcome.phases[pair], outcome.phases[pair + 1])
            let name = quiet.name.replacingOccurrences(of: ", quiet", with: "")
            rows.append([
                configuration.database == nil ? "serving" : "serving-pg", "\(name) during a \(posts)-post migration (\(busy.requests) requests)",
                String(format: "p99 %.1f ms, p50 %.1f ms", busy.percentile(0.99).milliseconds, busy.percentile(0.5).milliseconds),
                String(format: "quiet p99 %.1f ms; goal p99 ≤ 100 ms", quiet.percentile(0.99).milliseconds),
                String(format: "%.2fx goal (p99)", busy.percentile(0.99).milliseconds / 100),
                peakMemoryMegabytes().map { String(format: "%.0f", $0) } ?? "-",
            ])
        }
        peakMemory()
        try table.append(rows)
    }
}

private func peakMemory() {
    if let megabytes = peakMemoryMegabytes() { print(String(format: "peak memory of the process (server and load generator): %.1f MB", megabytes)) }
}
