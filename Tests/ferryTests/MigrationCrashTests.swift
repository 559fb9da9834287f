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
    /// Two servers on one database; SIGKILL the one running a migration, midway: once its
    /// lease runs out the other takes the migration over, runs it again from its stored export
    /// and ends with exactly the posts and comments of an uninterrupted run, once each.
    @Test func aMigrationWhoseServerIsKilledMidwayIsFinishedByAnother() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data").path
            let export = folder.appendingPathComponent("big.xml")
            try writeSyntheticWXR(posts: 6_000, commentsEach: 3, to: export)
            let seed = try FerryProcess(["seed", "--identities", "1", "--contacts", "0", "--data", data, "--bcrypt-cost", "4"], in: folder)
            #expect(try await seed.exitStatus() == 0)

            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = http.shutdown() }
            let environment = ["FERRY_FETCH_MEDIA": "0", "FERRY_MIGRATION_LEASE_SECONDS": "2"]
            let first = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder, environment: environment)
            let client = ServerClient(http: http, base: "http://127.0.0.1:\(try await first.listeningPort())")
            let token = try await client.signIn("user0000000")
            var upload = HTTPClientRequest(url: client.base + "/api/migrations?blog=big&mode=new")
            upload.method = .POST
            upload.headers.add(name: "Authorization", value: "Bearer \(token)")
            upload.body = .bytes(ByteBuffer(bytes: try Data(contentsOf: export)))
            let analysed = try await http.execute(upload, timeout: .seconds(120)).body.collect(upTo: 1 << 20)
            let id = try #require((try JSONSerialization.jsonObject(with: Data(analysed.readableBytesView)) as? [String: Any])?["id"] as? String)
            _ = try await client.send(.POST, "/api/migrations/\(id)/confirm", token: token)
            var statusBeforeKill = ""
            for _ in 0..<200 where statusBeforeKill != "running" {
                statusBeforeKill = try await status(client, id, token)
                try await Task.sleep(for: .milliseconds(20))
            }
            // The other server starts once the first has taken the migration.
            let second = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder, environment: environment)
            defer { second.process.terminate() }
            let other = ServerClient(http: http, base: "http://127.0.0.1:\(try await second.listeningPort())")
            try await Task.sleep(for: .milliseconds(300))
            kill(first.process.processIdentifier, SIGKILL)
            _ = try await first.exitStatus()
            #expect(statusBeforeKill == "running", "the kill came mid-migration")

            var final = ""
            for _ in 0..<1_200 where final != "done" && final != "failed" {
                final = try await status(other, id, token)
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

    private func status(_ client: ServerClient, _ id: String, _ token: String) async throws -> String {
        try await client.send(.GET, "/api/migrations/\(id)", token: token).json()["status"] as? String ?? ""
    }
}
