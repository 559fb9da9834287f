import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Synchronization
import Testing

/// A new blog is imported in stages — short transactions, so the rest of the site keeps
/// writing — into a blog no reader can reach, which becomes the new blog in one last step.
@Suite struct StagedImportTests {
    let wxr = fixtures.appendingPathComponent("wordpress-theme-unit-test.wxr.xml").path
    static let settings = (title: "Themes", language: LanguageTag(trusted: "en"))

    @Test(arguments: StoreBackend.available) func aStagedImportEndsAsTheSameBlogAsOneTransaction(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let whole = try database.importIntoBlog(BlogSlug(trusted: "whole"), owner: alice, createWith: Self.settings) { batch in
                try BlogImporter(claims: ClaimPolicy(trustEveryImporter: true)).run(path: wxr, into: batch)
            }
            let published = SeenInside()
            let staged = try database.importInStages(
                BlogSlug(trusted: "staged"), owner: alice, createWith: Self.settings, visibility: .hidden, key: "m1",
                { stages in try BlogImporter().run(path: wxr, in: stages) },
                publish: { _, batch in published.slug = batch.blog.slug.rawValue }
            )
            #expect(published.slug == "staged", "what commits with the blog sees it under its own address")
            #expect(staged.posts == whole.posts && staged.pages == whole.pages && staged.comments == whole.comments)
            #expect(staged.redirects == whole.redirects && staged.redirects > 0)
            let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "staged")))
            #expect(blog.visibility == .hidden && blog.title == "Themes")
            #expect(try await database.posts(in: blog.id, limit: 200).count == whole.posts)
            #expect(try await database.redirects(into: blog.id).allSatisfy { $0.to.hasPrefix("/staged/") }, "old addresses lead to the final address")
            #expect(try await database.blog(slug: BlogSlug(trusted: "~staging-m1")) == nil)
            #expect(try await database.blogs(ownedBy: alice).map(\.slug.rawValue) == ["staged", "whole"])
            try await expectIntact(database)
        }
    }

    /// Stages already committed when the import fails go again, with the claims they made.
    @Test(arguments: StoreBackend.available) func aFailedStagedImportLeavesNothingBehind(backend: StoreBackend) async throws {
        try await withStore(on: backend) { (database: any Store, alice: IdentityID) async throws in
            let watched = SeenInside()
            #expect(throws: FerryError.unreadableExport("stopped")) {
                try database.importInStages(
                    BlogSlug(trusted: "staged"), owner: alice, createWith: Self.settings, visibility: .public, key: "m2",
                    { stages in
                        let report = try BlogImporter().run(path: wxr, in: stages)
                        watched.slug = "\(report.posts)"
                        throw FerryError.unreadableExport("stopped")
                    }
                )
            }
            #expect(watched.slug == "56", "the stages had run")
            #expect(try await database.blog(slug: BlogSlug(trusted: "staged")) == nil)
            #expect(try await database.blog(slug: BlogSlug(trusted: "~staging-m2")) == nil)
            #expect(try await database.claims(of: alice).isEmpty)
            #expect(try await database.blogs(ownedBy: alice).isEmpty)
            try await expectIntact(database)
        }
    }

    /// The address a blog is moving to stays free for it until it arrives.
    @Test(arguments: StoreBackend.available) func theNewAddressIsTakenIfSomeoneTookItMeanwhile(backend: StoreBackend) async throws {
        try await withStore(on: backend) { (database: any Store, alice: IdentityID) async throws in
            #expect(throws: FerryError.self) {
                try database.importInStages(
                    BlogSlug(trusted: "staged"), owner: alice, createWith: Self.settings, visibility: .public, key: "m3",
                    { stages in
                        let report = try BlogImporter().run(path: wxr, in: stages)
                        try database.importIntoBlog(BlogSlug(trusted: "staged"), owner: alice, createWith: Self.settings) { _ in }
                        return report
                    }
                )
            }
            #expect(try await database.blog(slug: BlogSlug(trusted: "~staging-m3")) == nil)
            #expect(try await database.blogs(ownedBy: alice).map(\.slug.rawValue) == ["staged"], "the other blog keeps the address")
        }
    }
}

/// Something a synchronous closure noted, for the test to read after.
private final class SeenInside: Sendable {
    private let value = Mutex("")

    var slug: String {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
