import AsyncHTTPClient
import FerryTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite struct ServeProcessTests {
    func request(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, token: String? = nil, json: String? = nil) async throws -> (
        status: Int, body: String
    ) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test func servesOverLoopbackStopsCleanlyOnSIGTERMAndKeepsItsData() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data").path
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }

            let first = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder, environment: ["FERRY_BCRYPT_COST": "4"])
            let port = try await first.listeningPort()
            let base = "http://127.0.0.1:\(port)"
            #expect(try await request(client, .GET, base + "/healthz").status == 200)
            #expect(
                try await request(client, .POST, base + "/api/identities", json: #"{"handle":"alice","password":"correct horse","displayName":"Alice"}"#).status
                    == 201)
            let session = try await request(client, .POST, base + "/api/sessions", json: #"{"handle":"alice","password":"correct horse"}"#)
            let token = try #require(try JSONSerialization.jsonObject(with: Data(session.body.utf8)) as? [String: Any])["token"] as? String
            first.process.terminate()
            #expect(try await first.exitStatus() == 0)
            #expect(first.errors.contains("http.path=/api/sessions"))
            #expect(!first.errors.contains("correct horse"))
            #expect(!first.errors.contains(try #require(token)))

            let second = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder)
            let secondBase = "http://127.0.0.1:\(try await second.listeningPort())"
            let me = try await request(client, .GET, secondBase + "/api/me", token: token)
            #expect(me.status == 200)
            #expect(me.body.contains(#""handle":"alice""#))
            second.process.interrupt()
            #expect(try await second.exitStatus() == 0)
        }
    }

    @Test func aBadSettingIsOneReadableLineAndAFailure() async throws {
        try await withTemporaryDirectory { folder in
            let serve = try FerryProcess(["serve", "--data", folder.path], in: folder, environment: ["FERRY_PORT": "eighty"])
            #expect(try await serve.exitStatus() != 0)
            let lines = serve.errors.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.contains("FERRY_PORT") == true)
        }
    }

    /// A PostgreSQL server that does not answer is an error at once, not a wait for ever (its
    /// pool would keep retrying); nothing needs to listen on port 1 for this.
    @Test(arguments: ["serve", "seed", "import"])
    func anUnreachableDatabaseIsOneReadableLineAndAFailure(command: String) async throws {
        try await withTemporaryDirectory { folder in
            let export = folder.appendingPathComponent("export.xml")
            try Data("<rss/>".utf8).write(to: export)
            let arguments = command == "import" ? ["import", export.path, "--owner", "nobody", "--blog", "nowhere", "--yes"] : [command]
            let process = try FerryProcess(arguments + ["--database", "postgres://ferry@127.0.0.1:1/ferry", "--data", folder.path], in: folder)
            #expect(try await process.exitStatus() != 0)
            let lines = process.errors.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.contains("cannot use the PostgreSQL database at 127.0.0.1:1") == true, "\(process.errors)")
        }
    }

    @Test func seedFillsTheDataFolderAndSaysHowToSignIn() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data").path
            let seed = try FerryProcess(["seed", "--identities", "40", "--contacts", "6", "--data", data, "--bcrypt-cost", "4"], in: folder)
            #expect(try await seed.exitStatus() == 0)
            #expect(seed.output.contains("Seeded 40 identities with 6 contacts each"))
            #expect(seed.output.contains(#""handle":"user0000000","password":"ferry-seed-password""#))

            let serve = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder)
            let base = "http://127.0.0.1:\(try await serve.listeningPort())"
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            let session = try await request(client, .POST, base + "/api/sessions", json: #"{"handle":"user0000007","password":"ferry-seed-password"}"#)
            #expect(session.status == 200)
            serve.process.terminate()
            #expect(try await serve.exitStatus() == 0)
        }
    }

    @Test func refusesNonsenseArguments() async throws {
        try await withTemporaryDirectory { folder in
            let seed = try FerryProcess(["seed", "--identities", "0", "--data", folder.path], in: folder)
            #expect(try await seed.exitStatus() != 0)
            #expect(seed.errors.contains("--identities must be at least 1"))
        }
    }
}
