import AsyncHTTPClient
import FerryBench
import FerryCore
import FerryPostgres
import FerrySeed
import FerryStore
import FerryTestSupport
import FerryWeb
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Long: runs only with FERRY_LONG_TESTS=1 (`.ci/run` sets it).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FERRY_LONG_TESTS"] == "1", "set FERRY_LONG_TESTS=1 to run the crash tests"))
struct MigrationCrashTests {
    /// Two servers on one database (one data folder, and on PostgreSQL one database); SIGKILL
    /// the one running a migration, midway: once its lease runs out the other takes the
    /// migration over, runs it again from its stored export and ends with exactly the posts and
    /// comments of an uninterrupted run, once each.
    @Test(arguments: StoreBackend.available) func aMigrationWhoseServerIsKilledMidwayIsFinishedByAnother(backend: StoreBackend) async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data").path
            let export = folder.appendingPathComponent("big.xml")
            try writeSyntheticWXR(posts: 6_000, commentsEach: 3, to: export)
            let schema = "crash_\(UUID().uuidString.lowercased().filter(\.isHexDigit))"
            var environment = ["FERRY_FETCH_MEDIA": "0", "FERRY_MIGRATION_LEASE_SECONDS": "2", "FERRY_BCRYPT_COST": "4"]
            if backend == .postgres, let url = ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"] {
                environment["FERRY_DATABASE_URL"] = url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
            } else {
                environment["FERRY_DATABASE_URL"] = ""  // SQLite, whatever `StoreBackend.web` says.
            }
            defer { if backend == .postgres { Task { try? await StoreBackend.sql("DROP SCHEMA IF EXISTS \(schema) CASCADE") } } }

            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = http.shutdown() }
            let first = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder, environment: environment)
            let client = ServerClient(http: http, base: "http://127.0.0.1:\(try await first.listeningPort())")
            _ = try await client.send(.POST, "/api/identities", json: #"{"handle":"mover","password":"\#(Seeder.password)","displayName":"Mover"}"#)
            let token = try await client.signIn("mover")
            var upload = HTTPClientRequest(url: client.base + "/api/migrations?blog=big&mode=new")
            upload.method = .POST
            upload.headers.add(name: "Authorization", value: "Bearer \(token)")
            upload.body = .bytes(ByteBuffer(bytes: try Data(contentsOf: export)))
            let analysed = try await http.execute(upload, timeout: .seconds(120)).body.collect(upTo: 1 << 20)
            let id = try #require((try JSONSerialization.jsonObject(with: Data(analysed.readableBytesView)) as? [String: Any])?["id"] as? String)
            _ = try await client.send(.POST, "/api/migrations/\(id)/confirm", token: token)
            // Killed once it has read part of the export (its worker counts every 1,000 items)
            // and before the end: polled every few milliseconds, the kill follows the last look.
            var before = (status: "", done: 0, total: 0)
            for _ in 0..<3_000 where before.status != "done" && before.status != "failed" && !(before.status == "running" && before.done >= 2_000) {
                let answer = try await client.send(.GET, "/api/migrations/\(id)", token: token).json()
                let progress = answer["progress"] as? [String: Any]
                before = (answer["status"] as? String ?? "", progress?["done"] as? Int ?? 0, progress?["total"] as? Int ?? 0)
                try await Task.sleep(for: .milliseconds(5))
            }
            kill(first.process.processIdentifier, SIGKILL)
            _ = try await first.exitStatus()
            #expect(before.status == "running" && before.done < before.total, "the kill came mid-migration: \(before)")
            let second = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder, environment: environment)
            defer { second.process.terminate() }
            let other = ServerClient(http: http, base: "http://127.0.0.1:\(try await second.listeningPort())")

            var final = ""
            for _ in 0..<1_200 where final != "done" && final != "failed" {
                final = try await status(other, id, token)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(final == "done")
            let report = try await other.send(.GET, "/api/migrations/\(id)", token: token).json()["report"] as? [String: Any]
            #expect(report?["alreadyPresent"] as? Int ?? 0 > 0, "the runner that took over kept what the first had written")
            second.process.terminate()
            _ = try await second.exitStatus()

            var configuration = FerryConfiguration()
            configuration.dataDirectory = URL(fileURLWithPath: data)
            configuration.database = try environment["FERRY_DATABASE_URL"].flatMap { $0.isEmpty ? nil : try PostgresAddress($0) }
            let counts = try await OpenedStore.with(configuration) { store in
                let blog = try #require(try await store.blog(slug: BlogSlug(trusted: "big")))
                return try await store.counts(of: blog.id)
            }
            #expect(counts.posts == 6_000)
            #expect(counts.comments == 18_000)
            #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: data).appendingPathComponent("migrations/\(id).export").path))
        }
    }

    private func status(_ client: ServerClient, _ id: String, _ token: String) async throws -> String {
        try await client.send(.GET, "/api/migrations/\(id)", token: token).json()["status"] as? String ?? ""
    }
}
