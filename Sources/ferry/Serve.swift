import ArgumentParser
import FerryWeb
import Foundation
import Hummingbird

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API, pages and feeds; SIGINT or SIGTERM stops it cleanly."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try options.configuration()
        let logger = options.logger(configuration)
        let app = try await buildApplication(configuration: configuration, logger: logger) { port in
            // Written unbuffered: scripts and tests wait for this line to know the port.
            FileHandle.standardOutput.write(Data("ferry listening on http://\(configuration.host):\(port)\n".utf8))
        }
        try await app.runService()
    }
}
