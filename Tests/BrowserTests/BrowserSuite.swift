import AsyncHTTPClient
import FerryPostgres
import FerryTestSupport
import FerryWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// What the browser suite needs around it: `chromedriver` (Debian's `chromium-driver`), a
/// ferry on loopback with a real database, and a folder for the screenshots.
enum BrowserSuite {
    /// `.ci/run` sets `FERRY_BROWSER_TESTS=1` (and installs Chromium): there, a missing
    /// browser fails the suite instead of skipping it.
    static var isEnabled: Bool { ProcessInfo.processInfo.environment["FERRY_BROWSER_TESTS"] == "1" }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    /// Where each page's screenshots go, at 1280 and 390 px wide (kept after the run).
    static let screenshots = packageRoot.appendingPathComponent(".build/browser-screenshots")

    /// Runs `body` with a browser on a fresh ferry: its base URL, and the ferry test client
    /// (for what a test checks behind the browser's back).
    static func run(
        configure: (inout FerryConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (WebDriver, String, any TestClientProtocol) async throws -> Void
    ) async throws {
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        try await withTemporaryDirectory { folder in
            var configuration = FerryConfiguration()
            configuration.dataDirectory = folder
            configuration.database = StoreBackend.webDatabase(for: folder)
            configuration.feedsDirectory = folder.appendingPathComponent("feeds")
            configuration.publicDirectory = packageRoot.appendingPathComponent("public")
            configuration.bcryptCost = 4
            configuration.fetchMedia = false
            configuration.port = 0
            configure(&configuration)
            var logger = Logger(label: "ferry.browser-tests")
            logger.logLevel = .warning
            let app = try await buildApplication(configuration: configuration, logger: logger)
            try await app.test(.live) { client in
                guard let port = client.port else { throw WebDriverError("the test server has no port") }
                try await ChromeDriver.withDriver { endpoint in
                    let driver = try await WebDriver.open(endpoint, width: 1280, height: 1000)
                    do {
                        try await body(driver, "http://127.0.0.1:\(port)", client)
                    } catch {
                        try? await shoot(driver, "failure")
                        await driver.close()
                        throw error
                    }
                    await driver.close()
                }
            }
        }
    }

    /// Screenshots of the page as it is, 1280 and 390 px wide: `NAME-1280.png`, `NAME-390.png`.
    static func shoot(_ driver: WebDriver, _ name: String) async throws {
        for width in [1280, 390] {
            try await driver.resize(width: width, height: 1400)
            try await driver.screenshot().write(to: screenshots.appendingPathComponent("\(name)-\(width).png"))
        }
        try await driver.resize(width: 1280, height: 1000)
    }
}

/// `chromedriver` on a free loopback port, for the time of `body`.
enum ChromeDriver {
    static func withDriver(_ body: (String) async throws -> Void) async throws {
        let executable = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else {
            throw WebDriverError("chromedriver is missing: install Debian's chromium and chromium-driver (.ci/run does)")
        }
        let port = try await freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try launch(process)
        let endpoint = "http://127.0.0.1:\(port)"
        do {
            try await waitUntilReady(endpoint)
            try await body(endpoint)
        } catch {
            stop(process)
            throw error
        }
        stop(process)
    }

    /// chromedriver does not always end on SIGTERM, and `waitUntilExit` would wait for it
    /// forever: it is killed.
    private static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func waitUntilReady(_ endpoint: String) async throws {
        for _ in 0..<100 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: endpoint + "/status"), timeout: .seconds(1)),
                response.status.code == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriverError("chromedriver did not start on \(endpoint)")
    }

    /// A port nobody listens on now: bound as port 0, read, released.
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        guard let port = channel.localAddress?.port else { throw WebDriverError("no free port") }
        return port
    }
}
