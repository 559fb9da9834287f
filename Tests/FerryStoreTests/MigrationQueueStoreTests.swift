import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// The migration queue on every backend, with several nodes taking from it at once.
@Suite struct MigrationQueueStoreTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    func create(_ id: String, by owner: IdentityID, in store: any Store, at date: Date, bytes: Int = 10) async throws -> Migration {
        try await store.createMigration(
            id: id, owner: owner, blog: BlogSlug(trusted: "moved-\(id)"), mode: .new, newBlog: NewBlogChoice(title: "Moved"), summary: Data("{}".utf8),
            bytes: bytes, linksIdentity: false, limits: PendingUploadLimits(), at: date)
    }

    @Test(arguments: StoreBackend.available)
    func uploadsWaitForTheirOwnersConfirmationWithinTheLimits(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h", at: start).id
            let bob = try await store.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "h", at: start).id
            let first = try await create("m1", by: alice, in: store, at: start)
            #expect(first.status == .awaitingConfirmation && first.newBlog.title == "Moved")
            _ = try await create("m2", by: alice, in: store, at: start.addingTimeInterval(1), bytes: 20)
            #expect(try await store.pendingUploads(of: alice) == (2, 30))
            var limits = PendingUploadLimits()
            limits.count = 2
            await #expect(throws: FerryError.self) {
                try await store.createMigration(
                    id: "m3", owner: alice, blog: BlogSlug(trusted: "more"), mode: .merge, newBlog: NewBlogChoice(), summary: Data(), bytes: 1,
                    linksIdentity: false, limits: limits, at: start)
            }
            #expect(try await store.migration("m1", of: bob) == nil, "someone else's migration does not exist")
            #expect(try await store.migrations(of: alice, limit: 10).map(\.id) == ["m2", "m1"])

            #expect(try await store.confirmMigration("m1", of: alice, at: start).status == .queued)
            await #expect(throws: FerryError(.conflict, "the migration is already queued; it was confirmed before")) {
                try await store.confirmMigration("m1", of: alice, at: start)
            }
            await #expect(throws: FerryError(.notFound, "there is no migration 'm1'")) { try await store.confirmMigration("m1", of: bob, at: start) }
            #expect(try await store.expireUnconfirmedMigrations(before: start.addingTimeInterval(60), at: start) == ["m2"])
            #expect(try await store.migration("m2", of: alice)?.failure == MigrationQueueWording.expired)
            #expect(try await store.migrationsKeepingFiles() == ["m1"])
        }
    }

    /// Ten runners on two nodes ask at once for five queued migrations: each migration goes to
    /// exactly one. A lease that runs out passes the migration to another runner, and the first
    /// can neither renew nor fail it any more; one abandoned too often fails with the reason.
    @Test(arguments: StoreBackend.available)
    func runnersOnManyNodesNeverTakeTheSameMigration(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            let alice = try await nodes[0].createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h", at: start).id
            for number in 1...5 {
                _ = try await create("m\(number)", by: alice, in: nodes[0], at: start.addingTimeInterval(Double(number)))
                _ = try await nodes[0].confirmMigration("m\(number)", of: alice, at: start)
            }
            let claimed = try await withThrowingTaskGroup(of: (Migration, MigrationLease)?.self) { group in
                for runner in 0..<10 {
                    group.addTask { try await nodes[runner % 2].claimNextMigration(holder: "runner-\(runner)", for: 30, at: start) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let taken = claimed.compactMap { $0 }
            #expect(taken.count == 5)
            #expect(Set(taken.map(\.0.id)) == ["m1", "m2", "m3", "m4", "m5"])
            #expect(taken.allSatisfy { $0.0.status == .running })

            let (first, lease) = try #require(taken.first { $0.0.id == "m1" })
            #expect(first.id == "m1")
            #expect(try await nodes[1].renew(lease, for: 30, at: start.addingTimeInterval(10)))
            #expect(try await nodes[0].claimNextMigration(holder: "late", for: 30, at: start.addingTimeInterval(20)) == nil, "every lease still holds")

            // Every runner stops renewing: past the leases the oldest, m1, is taken over first.
            let later = start.addingTimeInterval(41)
            let (again, takeover) = try #require(try await nodes[1].claimNextMigration(holder: "rescuer", for: 30, at: later))
            #expect(again.id == "m1" && takeover.holder == "rescuer")
            #expect(try await nodes[0].renew(lease, for: 30, at: later) == false, "the first runner no longer holds it")
            #expect(try await nodes[0].failMigration(lease, reason: "gave up", at: later) == false)

            // Abandoned again: at two attempts, m1 fails with the reason instead of running a third time.
            let failed = try await nodes[0].failExhaustedMigrations(maxAttempts: 2, at: later.addingTimeInterval(60))
            #expect(failed.map(\.id) == ["m1"], "the others were started once")
            #expect(try await nodes[1].migration("m1", of: alice)?.failure == MigrationQueueWording.exhausted(2))
        }
    }
}
