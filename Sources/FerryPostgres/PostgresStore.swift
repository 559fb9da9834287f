import FerryCore
import FerryStore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// ferry's store on PostgreSQL: a pool of connections to one database whose schema it brings
/// up to date before anything else runs. Many nodes may hold one each; the database is the
/// one truth they share.
///
/// The pool only works while `run()` runs (postgres-nio's structured-concurrency contract):
/// whoever holds the store runs it in a task of its own, and `migrate()` before anything else.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    public let address: PostgresAddress
    let logger: Logger
    /// Where the store announces the blogs its writes changed, to this node's listeners.
    public let changes = BlogChanges()

    public init(_ address: PostgresAddress, maximumConnections: Int = 20, logger: Logger = PostgresStore.quietLogger) {
        var configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: Self.tls(address.tls)
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.additionalStartupParameters = Self.startupParameters(address)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.address = address
        self.logger = logger
    }

    /// Notices and worse: postgres-nio reports at `info` every connection a closing pool gives up.
    public static var quietLogger: Logger {
        var logger = Logger(label: "ferry.postgres")
        logger.logLevel = .notice
        return logger
    }

    /// Keeps the pool's connections until the task running it is cancelled.
    public func run() async {
        await client.run()
    }

    /// The configuration of a connection outside the pool (see `BlockingConnection`), as the
    /// pool's own.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch address.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password, database: address.database, tls: tls)
        configuration.options.additionalStartupParameters = Self.startupParameters(address)
        return configuration
    }

    /// An installation in a schema of its own finds its tables there first.
    private static func startupParameters(_ address: PostgresAddress) -> [(String, String)] {
        address.schema.map { [("options", "-c search_path=\($0)")] } ?? []
    }

    private static func tls(_ mode: PostgresAddress.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }
}
