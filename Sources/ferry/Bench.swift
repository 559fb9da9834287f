import ArgumentParser
import FerryBench
import FerryWeb
import Foundation
import Logging

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ferry under load on loopback, each against GET /healthz measured in the same run.",
        subcommands: [ContactsBench.self, StreamBench.self, ServingBench.self, WebSubBench.self],
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

struct WebSubBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "websub",
        abstract: "Push to many WebSub subscribers on loopback: publish to last delivery, and the publishing request with and without them."
    )

    @OptionGroup var options: ServerOptions

    @Option(help: "Subscribers of the one blog.")
    var subscribers = 1_000

    @Option(help: "Posts published, one after another, with and without subscribers.")
    var publishes = 20

    @OptionGroup var table: SummaryTable

    func run() async throws {
        var configuration = try benchmarkConfiguration(options, name: "bench-websub-\(UUID().uuidString.prefix(8))")
        configuration.bcryptCost = 4
        defer { if options.data == nil { try? FileManager.default.removeItem(at: configuration.dataDirectory) } }
        print("ferry bench websub: \(subscribers) subscribers on loopback, \(publishes) posts, data \(configuration.dataDirectory.path)")
        let outcome = try await WebSubBenchmark(configuration: configuration, subscribers: subscribers, publishes: publishes).run { line in
            print("  \(line)")
        }
        let label = configuration.database == nil ? "websub" : "websub-pg"
        func summary(_ durations: [Duration]) -> (p50: Double, p99: Double, text: String) {
            let sorted = durations.map(\.milliseconds).sorted()
            let p50 = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
            return (p50, p99, String(format: "p50 %.1f ms, p99 %.1f ms", p50, p99))
        }
        let alone = summary(outcome.publishAlone)
        let loaded = summary(outcome.publishWithSubscribers)
        let last = summary(outcome.toLastDelivery)
        let each = summary(outcome.toEachDelivery)
        print("  POST answered 201, no subscriber: \(alone.text)")
        print("  POST answered 201, \(subscribers) subscribers: \(loaded.text)")
        print("  publish → last of \(subscribers) deliveries: \(last.text)")
        print("  publish → each delivery: \(each.text)")
        peakMemory()
        let memory = peakMemoryMegabytes().map { String(format: "%.0f", $0) } ?? "-"
        try table.append([
            [
                label, "publish with \(subscribers) subscribers: POST answered 201", loaded.text, "no subscriber: \(alone.text)",
                String(format: "%.2fx p50", loaded.p50 / max(alone.p50, 0.001)), memory,
            ],
            [
                label, "publish → last of \(subscribers) deliveries (\(publishes) posts)", last.text, "goal: within 1 s",
                String(format: "%.2fx goal (p99)", last.p99 / 1_000), memory,
            ],
            [
                label, "publish → each delivery", each.text, "publish alone: \(alone.text)",
                String(format: "%.2fx p50", each.p50 / max(alone.p50, 0.001)), memory,
            ],
        ])
    }
}

private func peakMemory() {
    if let megabytes = peakMemoryMegabytes() { print(String(format: "peak memory of the process (server and load generator): %.1f MB", megabytes)) }
}
