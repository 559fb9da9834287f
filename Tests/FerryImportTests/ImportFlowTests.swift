import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// The one import flow the migration worker and `ferry import` share.
@Suite struct ImportFlowTests {
    let wxr = fixtures.appendingPathComponent("wordpress-theme-unit-test.wxr.xml").path

    func flow(_ database: AppDatabase, folder: URL) -> ImportFlow {
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
    @Test func everyTargetEndsAsTheSameBlogAndCompletesItsMigration() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
            let flow = flow(database, folder: folder)
            let package = try ExportPackage.open(wxr, unpackingInto: folder.appendingPathComponent("unpacked"), limits: .init(maxBytes: 1 << 30))
            let plan = try await flow.mediaPlan(for: package)
            _ = try await database.createMigration(id: "m1", owner: alice, blog: BlogSlug(trusted: "staged"), mode: .new, summary: Data("{}".utf8))

            let whole = try flow.importBlocking(
                package, media: plan, into: .newBlog(BlogSlug(trusted: "whole"), choice: NewBlogChoice(), stagingKey: nil), owner: alice)
            let staged = try flow.importBlocking(
                package, media: plan, into: .newBlog(BlogSlug(trusted: "staged"), choice: NewBlogChoice(visibility: .hidden), stagingKey: "m1"),
                owner: alice, completing: "m1"
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
}
