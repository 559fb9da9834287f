import FerryCore
import FerryTestSupport
import FerryWeb
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import FerryStore

/// Migrations share the worker fairly, a crashed one cannot stop every start, and uploads do
/// not pile up on disk.
@Suite struct MigrationQueueTests {
    let migrations = MigrationAPITests()

    static func export(_ title: String, photo: String? = nil) -> Data {
        let description = photo.map { "&lt;img src=\"\($0)\"&gt;" } ?? "x"
        return Data(
            """
            <?xml version="1.0"?><rss version="2.0"><channel><title>\(title)</title>
            <item><title>\(title) post</title><guid>\(title)-1</guid><pubDate>Tue, 02 Mar 2010 10:00:00 +0000</pubDate><description>\(description)</description></item>
            </channel></rss>
            """.utf8)
    }

    /// A hostile export whose photo trickles in for its whole deadline holds up its own
    /// migration only: another owner's, confirmed after it, is done meanwhile.
    @Test func aSlowImportNeverStopsAnotherOwnersMigration() async throws {
        try await withOldHost([:]) { host in
            try await withApp(configure: { configuration in
                configuration.fetchMedia = true
                configuration.allowPrivateMediaAddresses = true
                configuration.mediaFetchTimeout = .seconds(6)
            }) { client in
                let mallory = try await client.newIdentity("mallory")
                let alice = try await client.newIdentity("alice")
                let slow = try #require(
                    try await migrations.upload(client, Self.export("slow", photo: "\(host)/trickle.jpg"), query: "blog=slow&mode=new", token: mallory).json()[
                        "id"] as? String)
                let quick = try #require(
                    try await migrations.upload(client, Self.export("quick"), query: "blog=quick&mode=new", token: alice).json()["id"] as? String)
                _ = try await client.send(.post, "/api/migrations/\(slow)/confirm", token: mallory)
                try await Task.sleep(for: .milliseconds(200))
                _ = try await client.send(.post, "/api/migrations/\(quick)/confirm", token: alice)
                let done = try await migrations.finished(client, quick, token: alice)
                #expect(done["status"] as? String == "done")
                #expect(try await client.send(.get, "/api/migrations/\(slow)", token: mallory).json()["status"] as? String == "running")
                // Meanwhile its address is kept for it, and nothing of it shows.
                let taken = try await client.send(.post, "/api/blogs", token: alice, json: #"{"slug":"slow","title":"Mine","language":"en"}"#)
                #expect(taken.status == .conflict)
                #expect(try taken.json()["detail"] as? String == "the blog address 'slow' is being taken by a blog that is moving here")
                #expect((try await client.send(.get, "/api/me/blogs", token: mallory).json()["blogs"] as? [Any])?.isEmpty == true)
                #expect(try await client.send(.get, "/slow/").status == .notFound)
                let slowDone = try await migrations.finished(client, slow, token: mallory)
                let failures = (slowDone["report"] as? [String: Any])?["mediaFailures"] as? [[String: String]]
                #expect(failures?.first?["reason"] == "\(host)/trickle.jpg took longer than 6 s to fetch")
            }
        }
    }

    /// A migration the server stopped during (three times) fails with that reason instead of
    /// stopping every start; one stopped fewer times runs again.
    @Test func aMigrationInterruptedTooOftenFailsWithItsReason() async throws {
        try await withTemporaryDirectory { folder in
            let uploaded = Mutex<[String]>([])
            try await withApp(data: folder, configure: onSQLite) { client in
                let alice = try await client.newIdentity("alice")
                for blog in ["again", "crashy"] {
                    let id = try #require(
                        try await migrations.upload(client, Self.export(blog), query: "blog=\(blog)&mode=new", token: alice).json()["id"] as? String)
                    uploaded.withLock { $0.append(id) }
                }
            }
            let ids = uploaded.withLock { $0 }
            do {
                let database = try AppDatabase.open(directory: folder)
                defer { try? database.close() }
                try await database.setMigrationState(ids[0], status: "running", attempts: 2)
                try await database.setMigrationState(ids[1], status: "running", attempts: 3)
            }
            try await withApp(data: folder, configure: onSQLite) { client in
                let alice = try await client.signIn("alice")
                #expect(try await migrations.finished(client, ids[0], token: alice)["status"] as? String == "done", "a third attempt")
                let failed = try await migrations.finished(client, ids[1], token: alice)
                #expect(failed["status"] as? String == "failed")
                #expect(failed["failure"] as? String == "the migration was interrupted 3 times (the server stopped while it ran); nothing was changed")
                #expect(try await client.send(.get, "/crashy/").status == .notFound)
            }
        }
    }

    /// Unconfirmed uploads expire with their files; a crash's leftovers are removed at start;
    /// each owner has a cap on uploads waiting to run, in number and bytes.
    @Test func uploadsExpireAndAreCappedPerOwner() async throws {
        try await withTemporaryDirectory { folder in
            let directory = folder.appendingPathComponent("migrations")
            let first = Mutex("")
            try await withApp(
                data: folder,
                configure: {
                    $0.pendingUploads.count = 2
                    $0.pendingUploads.bytes = 1_000
                }
            ) { client in
                let alice = try await client.newIdentity("alice")
                let bob = try await client.newIdentity("bob")
                let id = try #require(try await migrations.upload(client, Self.export("one"), query: "blog=one&mode=new", token: alice).json()["id"] as? String)
                first.withLock { $0 = id }
                let big = try await migrations.upload(client, Data(count: 900), query: "blog=big&mode=new", token: alice)
                #expect(big.status == .contentTooLarge)
                #expect(
                    try big.json()["detail"] as? String ?? ""
                        == "the export is larger than the \(1_000 - Self.export("one").count) bytes left for your uploads waiting to run (at most 1000 together)"
                )
                #expect(try await migrations.upload(client, Self.export("two"), query: "blog=two&mode=new", token: alice).status == .accepted)
                let third = try await migrations.upload(client, Self.export("three"), query: "blog=three&mode=new", token: alice)
                #expect(third.status == .tooManyRequests)
                #expect(
                    try third.json()["detail"] as? String == "you have 2 uploads waiting to run; confirm them, or wait for them to run or expire (after a day)")
                #expect(try await migrations.upload(client, Self.export("three"), query: "blog=three&mode=new", token: bob).status == .accepted, "per owner")
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 3, "refused uploads left nothing")
            }
            try Data("left by a crash".utf8).write(to: directory.appendingPathComponent("0123.export"))
            let waiting = first.withLock { $0 }
            try await withApp(data: folder, configure: { $0.uploadLifetime = .zero }) { client in
                let alice = try await client.signIn("alice")
                let expired = try await client.send(.get, "/api/migrations/\(waiting)", token: alice).json()
                #expect(expired["status"] as? String == "failed")
                #expect(expired["failure"] as? String == "the upload was not confirmed in time and expired; nothing was changed")
                #expect(try await client.send(.post, "/api/migrations/\(waiting)/confirm", token: alice).status == .conflict)
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
            }
        }
    }
}

extension AppDatabase {
    /// Puts a migration in the state a stopped server left it in.
    func setMigrationState(_ id: String, status: String, attempts: Int) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE migration SET status = ?, attempts = ? WHERE id = ?", arguments: [status, attempts, id])
        }
    }
}
