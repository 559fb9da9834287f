import ArgumentParser
import FerryCore
import FerryWeb
import Foundation
import Logging

/// Options every command shares. Each one overrides its `FERRY_*` environment variable,
/// which overrides the built-in default.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (FERRY_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (FERRY_PORT, default 8080).")
    var port: Int?

    @Option(help: "Folder for the database and stored media; created if absent (FERRY_DATA, default ./data).")
    var data: String?

    @Option(help: "PostgreSQL database every node shares, postgres://USER@HOST:PORT/DB (FERRY_DATABASE_URL, default SQLite in the data folder).")
    var database: String?

    @Option(name: .customLong("public"), help: "Folder with templates/ and static/ (FERRY_PUBLIC, default ./public).")
    var publicDirectory: String?

    @Option(help: "Folder the Atom feeds of public blogs are written to, for a static server (FERRY_FEEDS, default ./feeds).")
    var feeds: String?

    @Option(help: "Absolute URL readers reach the site at, used in feeds and sitemaps (FERRY_BASE_URL, default http://HOST:PORT).")
    var baseURL: String?

    @Option(help: "RFC 3339 time after which new migrations are refused with 410 (FERRY_MIGRATIONS_CLOSE_AT, default none).")
    var migrationsCloseAt: String?

    @Option(help: "bcrypt cost for new password hashes, 4–31 (FERRY_BCRYPT_COST, default 12).")
    var bcryptCost: UInt8?

    @Option(help: "A hosted WebSub hub to advertise beside ferry's own and to ping on every change (FERRY_WEBSUB_HUB, default none).")
    var websubHub: String?

    @Flag(help: "Vouch for every importer's claims on old addresses: they redirect at once (FERRY_TRUST_OLD_ADDRESSES=1; closed networks, tests).")
    var trustOldAddresses = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (FERRY_LOG_LEVEL, default info).")
    var logLevel: Logger.Level?

    /// The defaults, then the environment, then these flags.
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FerryConfiguration {
        var configuration = try FerryConfiguration(environment: environment)
        if let host { configuration.host = host }
        if let port {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            configuration.port = port
        }
        if let data { configuration.dataDirectory = URL(fileURLWithPath: data) }
        if let database {
            do {
                configuration.database = try FerryConfiguration.validDatabase(database, field: "--database")
            } catch {
                throw ValidationError(error.message)
            }
        }
        if let publicDirectory { configuration.publicDirectory = URL(fileURLWithPath: publicDirectory) }
        if let feeds { configuration.feedsDirectory = URL(fileURLWithPath: feeds) }
        if let migrationsCloseAt {
            do {
                configuration.migrationWindow.closesAt = try FerryConfiguration.validCutoff(migrationsCloseAt, field: "--migrations-close-at")
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let baseURL {
            do {
                configuration.baseURL = try FerryConfiguration.validBaseURL(baseURL, field: "--base-url")
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let bcryptCost {
            guard FerryConfiguration.bcryptCostRange.contains(bcryptCost) else {
                throw ValidationError("--bcrypt-cost must be from 4 to 31")
            }
            configuration.bcryptCost = bcryptCost
        }
        if let websubHub {
            do {
                configuration.webSub.externalHub = try FerryConfiguration.validHub(websubHub, field: "--websub-hub")
            } catch {
                throw ValidationError(error.description)
            }
        }
        if trustOldAddresses { configuration.trustOldAddresses = true }
        if let logLevel { configuration.logLevel = logLevel }
        return configuration
    }

    /// A logger writing structured lines to standard error, so standard output stays for results.
    func logger(_ configuration: FerryConfiguration, label: String = "ferry") -> Logger {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: label)
        logger.logLevel = configuration.logLevel
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
