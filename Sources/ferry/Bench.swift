import ArgumentParser
import FerryBench
import FerryWeb
import Foundation
import Logging

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure sign-in and contact listing under concurrent load, against GET /healthz as the reference."
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

    func run() async throws {
        var configuration = try options.configuration()
        if options.data == nil && ProcessInfo.processInfo.environment["FERRY_DATA"] == nil {
            configuration.dataDirectory = URL(fileURLWithPath: "data/bench")
        }
        configuration.logLevel = .warning
        let benchmark = ContactsBenchmark(
            configuration: configuration, identities: identities, contactsEach: contacts,
            concurrency: concurrency, requests: requests, signIns: signIns
        )
        print("ferry bench: \(identities) identities, \(contacts) contacts each, concurrency \(concurrency), bcrypt cost \(configuration.bcryptCost), data \(configuration.dataDirectory.path)")
        let results = try await benchmark.run { line in print("  \(line)") }
        print(ContactsBenchmark.table(results))
    }
}
