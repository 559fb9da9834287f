import AsyncHTTPClient
import FerryBench
import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Long: runs only with FERRY_LONG_TESTS=1 (`.ci/run` sets it).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FERRY_LONG_TESTS"] == "1", "set FERRY_LONG_TESTS=1 to run the crash tests"))
struct MigrationCrashTests {
    /// SIGKILL in the middle of a migration: on the next start it runs again from its stored
    /// export and ends with exactly the posts and comments of an uninterrupted run, once each.
    @Test func aMigrationKilledMidwayResumesAndEndsExactlyOnce() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data").path
            let export = folder.appendingPathComponent("big.xml")
            try writeSyntheticWXR(posts: 6_000, commentsEach: 3, to: export)
            let seed = try FerryProcess(["seed", "--identities", "1", "--contacts", "0", "--data", data, "--bcrypt-cost", "4"], in: folder)
            #expect(try await seed.exitStatus() == 0)

            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            let first = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder, environment: ["FERRY_FETCH_MEDIA": "0"])
            let base = "http://127.0.0.1:\(try await first.listeningPort())"
            let token = try await signIn(client, base)
            var upload = HTTPClientRequest(url: base + "/api/migrations?blog=big&mode=new")
            upload.method = .POST
            upload.headers.add(name: "Authorization", value: "Bearer \(token)")
            upload.body = .bytes(ByteBuffer(bytes: try Data(contentsOf: export)))
            let analysed = try await json(client.execute(upload, timeout: .seconds(120)))
            let id = try #require(analysed["id"] as? String)
            var confirm = HTTPClientRequest(url: base + "/api/migrations/\(id)/confirm")
            confirm.method = .POST
            confirm.headers.add(name: "Authorization", value: "Bearer \(token)")
            _ = try await client.execute(confirm, timeout: .seconds(30))
            var statusBeforeKill = ""
            for _ in 0..<200 where statusBeforeKill != "running" {
                statusBeforeKill = try await status(client, base, id, token)
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(300))
            kill(first.process.processIdentifier, SIGKILL)
            _ = try await first.exitStatus()
            #expect(statusBeforeKill == "running", "the kill came mid-migration")

            let second = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder, environment: ["FERRY_FETCH_MEDIA": "0"])
            defer { second.process.terminate() }
            let secondBase = "http://127.0.0.1:\(try await second.listeningPort())"
            var final = ""
            for _ in 0..<1_200 where final != "done" && final != "failed" {
                final = try await status(client, secondBase, id, token)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(final == "done")
            second.process.terminate()
            _ = try await second.exitStatus()

            let database = try AppDatabase.open(directory: URL(fileURLWithPath: data))
            defer { try? database.close() }
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "big")))
            let counts = try await database.counts(of: blog.id)
            #expect(counts.posts == 6_000)
            #expect(counts.comments == 18_000)
            #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: data).appendingPathComponent("migrations/\(id).export").path))
        }
    }

    private func signIn(_ client: HTTPClient, _ base: String) async throws -> String {
        var request = HTTPClientRequest(url: base + "/api/sessions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"handle":"user0000000","password":"\#(AppDatabase.seedPassword)"}"#))
        let body = try await json(client.execute(request, timeout: .seconds(30)))
        return try #require(body["token"] as? String)
    }

    private func status(_ client: HTTPClient, _ base: String, _ id: String, _ token: String) async throws -> String {
        var request = HTTPClientRequest(url: base + "/api/migrations/\(id)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return try await json(client.execute(request, timeout: .seconds(30)))["status"] as? String ?? ""
    }

    private func json(_ response: HTTPClientResponse) async throws -> [String: Any] {
        let body = try await response.body.collect(upTo: 1 << 24)
        return try JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any] ?? [:]
    }
}
