import ArgumentParser
import FerryCore
import FerryWeb
import Foundation
import Testing

@testable import ferry

@Suite struct ServerOptionsTests {
    @Test func flagsWinOverTheEnvironmentWhichWinsOverDefaults() throws {
        let environment = ["FERRY_PORT": "7000", "FERRY_DATA": "/env/data", "FERRY_BCRYPT_COST": "10"]
        let serve = try Serve.parse(["--port", "9000", "--bcrypt-cost", "5"])
        let configuration = try serve.options.configuration(environment: environment)
        #expect(configuration.port == 9000)
        #expect(configuration.bcryptCost == 5)
        #expect(configuration.dataDirectory.path == "/env/data")
        #expect(configuration.host == "127.0.0.1")

        let plain = try Serve.parse([]).options.configuration(environment: [:])
        #expect(plain.port == 8080)
        #expect(plain.dataDirectory.lastPathComponent == "data")
    }

    @Test func outOfRangeFlagsAreRefused() throws {
        #expect(throws: (any Error).self) { try Serve.parse(["--port", "70000"]).options.configuration(environment: [:]) }
        #expect(throws: (any Error).self) { try Serve.parse(["--bcrypt-cost", "40"]).options.configuration(environment: [:]) }
        for url in ["ftp://example.org", "example.org", "https://example.org/?q=1", "javascript:alert(1)"] {
            #expect(throws: (any Error).self, "\(url)") { try Serve.parse(["--base-url", url]).options.configuration(environment: [:]) }
            #expect(throws: FerryError.self, "\(url)") { try FerryConfiguration(environment: ["FERRY_BASE_URL": url]) }
        }
    }

    @Test func theSiteURLComesFromTheBaseURLOrTheListeningAddress() throws {
        let configured = try Serve.parse(["--base-url", "https://blogs.example.org/", "--feeds", "/srv/feeds"]).options.configuration(environment: [:])
        #expect(configured.siteURL() == "https://blogs.example.org")
        #expect(configured.feedsDirectory.path == "/srv/feeds")
        let plain = try Serve.parse(["--port", "9000"]).options.configuration(environment: [:])
        #expect(plain.siteURL() == "http://127.0.0.1:9000")
    }
}
