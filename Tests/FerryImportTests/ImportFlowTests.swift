import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// The one import flow the migration worker and `ferry import` share.
@Suite struct ImportFlowTests {
    let wxr = fixtures.appendingPathComponent("wordpress-theme-unit-test.wxr.xml").path

    /// A fresh store on `backend` with alice, the flow, and the fixture's package and media plan.
    func withFixture(
        on backend: StoreBackend, _ body: @Sendable (any Store, IdentityID, ImportFlow, ExportPackage, MediaPlan) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { folder in
            try await backend.withStore { database in
                let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
                let flow = flow(database, folder: folder)
                let package = try ExportPackage.open(wxr, unpackingInto: folder.appendingPathComponent("unpacked"), limits: .init(maxBytes: 1 << 30))
                try await body(database, alice, flow, package, try await flow.mediaPlan(for: package))
            }
        }
    }

    func flow(_ database: any Store, folder: URL) -> ImportFlow {
        ImportFlow(
            database: database, media: MediaMover(fetcher: nil, library: MediaLibrary(database: database, directory: folder.appendingPathComponent("media"))),
            claims: ClaimPolicy(trustEveryImporter: true), maxHTMLBytes: 1 << 20
        )
    }

    @Test func aNewBlogTakesTheOwnersChoicesThenTheExportsThenItsAddress() {
        let slug = BlogSlug(trusted: "moved")
        let chosen = ImportFlow.newBlogSettings(NewBlogChoice(title: "Mine", language: LanguageTag(trusted: "fr")), channel: ("Theirs", "de"), slug: slug)
        #expect(chosen.title == "Mine" && chosen.language.rawValue == "fr")
        let exported = ImportFlow.newBlogSettings(NewBlogChoice(), channel: ("  Old\nblog  ", "pt-BR"), slug: slug)
        #expect(exported.title == "Old blog" && exported.language.rawValue == "pt-BR")
        let bare = ImportFlow.newBlogSettings(NewBlogChoice(), channel: (nil, "not a language!"), slug: slug)
        #expect(bare.title == "moved" && bare.language.rawValue == "en")
    }

    /// In one transaction or in stages, a new blog ends the same; a merge adds nothing twice;
    /// a migration is marked done with its report in the last transaction.
    @Test(arguments: StoreBackend.available) func everyTargetEndsAsTheSameBlogAndCompletesItsMigration(backend: StoreBackend) async throws {
        try await withFixture(on: backend) { database, alice, flow, package, plan in
            _ = try await database.createMigration(id: "m1", owner: alice, blog: BlogSlug(trusted: "staged"), mode: .new, summary: Data("{}".utf8))
            _ = try await database.confirmMigration("m1", of: alice)
            let (_, lease) = try #require(try await database.claimNextMigration(holder: "runner", for: 60))

            let whole = try flow.importBlocking(
                package, media: plan, into: .newBlog(BlogSlug(trusted: "whole"), choice: NewBlogChoice(), stagingKey: nil), owner: alice)
            let staged = try flow.importBlocking(
                package, media: plan, into: .newBlog(BlogSlug(trusted: "staged"), choice: NewBlogChoice(visibility: .hidden), stagingKey: "m1"),
                owner: alice, completing: lease
            )
            #expect(whole.posts == 56 && staged.posts == 56 && staged.comments == whole.comments && staged.redirects == whole.redirects)
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "staged")))
            #expect(blog.title == "Theme Unit Test Data" && blog.visibility == .hidden)
            let migration = try #require(try await database.migration("m1", of: alice))
            #expect(migration.status == .done)
            #expect(try migration.report.map { try JSONDecoder().decode(ImportReport.self, from: $0) } == staged)

            let again = try flow.importBlocking(package, media: plan, into: .merge(BlogSlug(trusted: "staged")), owner: alice)
            #expect(again.posts == 0 && again.alreadyPresent > 0)
        }
    }

    /// A runner that stopped renewing its lease (it looked dead) and finds its migration taken
    /// over keeps nothing: its last transaction comes to nothing, the stages it shares with the
    /// new runner stay, and the new runner ends the migration as one uninterrupted run would.
    @Test(arguments: StoreBackend.available) func aRunnerWhoseMigrationWasTakenOverKeepsNothing(backend: StoreBackend) async throws {
        try await withFixture(on: backend) { database, alice, flow, package, plan in
            let target = ImportTarget.newBlog(BlogSlug(trusted: "moved"), choice: NewBlogChoice(), stagingKey: "m1")
            _ = try await database.createMigration(id: "m1", owner: alice, blog: BlogSlug(trusted: "moved"), mode: .new, summary: Data("{}".utf8))
            _ = try await database.confirmMigration("m1", of: alice)
            let start = Date()
            let (_, stalled) = try #require(try await database.claimNextMigration(holder: "stalled", for: 10, at: start))
            #expect(try await database.claimNextMigration(holder: "other", for: 10, at: start.addingTimeInterval(5)) == nil, "a held lease is not taken")
            let (migration, fresh) = try #require(try await database.claimNextMigration(holder: "other", for: 10, at: start.addingTimeInterval(11)))
            #expect(migration.id == "m1")
            #expect(try await database.renew(stalled, for: 10) == false)

            #expect(throws: MigrationLeaseLost.self) { try flow.importBlocking(package, media: plan, into: target, owner: alice, completing: stalled) }
            #expect(try await database.blog(slug: BlogSlug(trusted: "moved")) == nil)
            #expect(try await database.failMigration(stalled, reason: "x") == false, "nor may it fail the migration")
            let report = try flow.importBlocking(package, media: plan, into: target, owner: alice, completing: fresh)
            #expect(report.posts + report.alreadyPresent >= 56)
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "moved")))
            #expect(try await database.counts(of: blog.id).posts == 56 + 21)
            #expect(try await database.migration("m1", of: alice)?.status == .done)
        }
    }

    /// A migration abandoned as often as it may be started fails with the reason, instead of
    /// stopping every runner in turn.
    @Test func aMigrationAbandonedTooOftenFails() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
            _ = try await database.createMigration(id: "m1", owner: alice, blog: BlogSlug(trusted: "moved"), mode: .new, summary: Data("{}".utf8))
            _ = try await database.confirmMigration("m1", of: alice)
            var now = Date()
            for attempt in 1...2 {
                #expect(try await database.failExhaustedMigrations(maxAttempts: 2, at: now).isEmpty)
                let claimed = try await database.claimNextMigration(holder: "runner-\(attempt)", for: 10, at: now)
                #expect(claimed?.0.id == "m1")
                now = now.addingTimeInterval(11)
            }
            #expect(try await database.failExhaustedMigrations(maxAttempts: 2, at: now).map(\.id) == ["m1"])
            let failed = try #require(try await database.migration("m1", of: alice))
            #expect(failed.status == .failed && failed.failure?.contains("interrupted 2 times") == true)
            #expect(try await database.claimNextMigration(holder: "runner-3", for: 10, at: now) == nil)
        }
    }
}
