import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

@testable import FerryImport

/// An old blog's addresses lead to a ferry blog only once its owner's claim on the old root is
/// verified: a stranger's export naming them records nothing that redirects, and never takes
/// them from the owner.
@Suite struct OldRootClaimTests {
    static func export(root: String, posts: [String]) -> String {
        let items = posts.enumerated().map { index, link in
            "<item><title>Post \(index)</title><link>\(link)</link><guid>\(link)</guid><pubDate>Tue, 02 Mar 2010 10:00:00 +0000</pubDate><description>x</description></item>"
        }.joined()
        return #"<?xml version="1.0"?><rss version="2.0"><channel><title>Old</title><link>\#(root)</link>"# + items + "</channel></rss>"
    }

    static let untrusted = ClaimPolicy()

    @Test func rootsCoverTheirAddressesOnly() throws {
        let root = try #require(OldRoot(url: "https://Old.Example/blog/"))
        #expect(root.url == "https://old.example/blog/")
        #expect(root.covers(OldAddress(host: "old.example", path: "/blog")))
        #expect(root.covers(OldAddress(host: "old.example", path: "/blog/2010/05/post")))
        #expect(root.covers(OldAddress(host: "old.example", path: "/blog?p=12")))
        #expect(!root.covers(OldAddress(host: "old.example", path: "/blogger/post")))
        #expect(!root.covers(OldAddress(host: "old.example", path: "/")))
        #expect(!root.covers(OldAddress(host: "other.example", path: "/blog")))
        let host = try #require(OldRoot(url: "http://old.example"))
        #expect(host.overlaps(root) && root.overlaps(host))
        #expect(try !#require(OldRoot(url: "http://old.example/blogger")).overlaps(root))
        #expect(OldRoot(url: "file:///etc/passwd") == nil)
    }

    @Test(arguments: StoreBackend.available) func aClaimRedirectsOnlyOnceVerified(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let export = Self.export(root: "http://old.example/", posts: ["http://old.example/2010/03/first"])
            let report = try importExport(export, into: "moved", owner: alice, database: database, claims: Self.untrusted)
            let claim = try #require(report.claims.first)
            #expect(report.claims.count == 1)
            #expect(claim.root == "http://old.example/" && claim.status == .pending)
            let id = try #require(claim.claim)
            let token = try #require(try await database.claim(id: id)?.token)
            #expect(claim.metaElement == #"<meta name="ferry-verification" content="\#(token)">"#)
            #expect(claim.fileURL == "http://old.example/ferry-verification.txt")
            #expect(report.redirects > 0, "the addresses are recorded, waiting")
            let post = OldAddress(host: "old.example", path: "/2010/03/first")
            #expect(try await database.redirect(from: post) == nil)
            #expect(try await database.redirect(from: OldAddress(host: "old.example", path: "")) == nil)

            #expect(try await database.verifyClaim(id, by: "operator"))
            #expect(try await database.redirect(from: post)?.target == "/moved/2010/03/post-0")
            #expect(try await database.redirect(from: OldAddress(host: "old.example", path: "/feed"))?.target == "/moved/feed.atom")
            #expect(try await database.claims(of: alice).map(\.status) == [.verified])

            #expect(try await database.revokeClaim(id))
            #expect(try await database.redirect(from: post) == nil)
        }
    }

    /// The attack the review found: a stranger uploads a tiny export whose links are someone
    /// else's old blog. Before the owner moves, it redirects nothing; the owner's own import
    /// still records every address, and once verified the stranger's claim and addresses go.
    @Test(arguments: StoreBackend.available) func aStrangersExportNeverTakesTheOwnersAddresses(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let mallory = try await database.createIdentity(handle: Handle(trusted: "mallory"), displayName: "M", passwordHash: "x").id
            let links = ["http://victim.example/2010/03/first", "http://victim.example/2010/03/second"]
            let theft = Self.export(root: "http://mallory.example/", posts: links)
            let stolen = try importExport(theft, into: "stolen", owner: mallory, database: database, claims: Self.untrusted)
            #expect(stolen.claims.map(\.root).sorted() == ["http://mallory.example/", "http://victim.example/"])
            #expect(stolen.claims.allSatisfy { $0.status == .pending })
            let first = OldAddress(host: "victim.example", path: "/2010/03/first")
            #expect(try await database.redirect(from: first) == nil)

            let real = Self.export(root: "http://victim.example/", posts: links)
            let moved = try importExport(real, into: "moved", owner: alice, database: database, claims: Self.untrusted)
            #expect(moved.redirects == 1 + 9 + 2, "the root, its feeds and both posts, though the stranger named them first")
            let claim = try #require(moved.claims.first?.claim)
            #expect(try await database.verifyClaim(claim, by: "file"))
            #expect(try await database.redirect(from: first)?.target == "/moved/2010/03/post-0")
            #expect(try await database.claims(of: mallory).map(\.root.host) == ["mallory.example"], "the stranger's claim went")
            let stolenBlog = try #require(try await database.blog(slug: BlogSlug(trusted: "stolen")))
            #expect(try await database.redirects(into: stolenBlog.id).allSatisfy { $0.from.host != "victim.example" })

            // Named again, the proven root is refused, and the report says so.
            let again = try importExport(theft, into: "stolen", owner: mallory, database: database, claims: Self.untrusted, merge: true)
            let refused = try #require(again.claims.first { $0.root == "http://victim.example/" })
            #expect(refused.status == .refused && refused.reason?.contains("another identity") == true)
            #expect(again.redirectsRefused == 2)
            #expect(try await database.redirects(into: stolenBlog.id).allSatisfy { $0.from.host != "victim.example" })
            // Trusting every importer does not override a proven claim either.
            let trusted = try importExport(theft, into: "stolen", owner: mallory, database: database, merge: true)
            #expect(trusted.claims.first { $0.root == "http://victim.example/" }?.status == .refused)
            #expect(try await database.verifyClaim(#require(stolen.claims.first { $0.root == "http://victim.example/" }?.claim), by: "operator") == false)
            #expect(try await database.redirect(from: first)?.blog.slug.rawValue == "moved")
        }
    }

    @Test(arguments: StoreBackend.available) func theSitesOwnAddressesAreNeverClaimed(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let export = Self.export(root: "https://blogs.example.org/", posts: ["https://blogs.example.org/someone/2010/03/post"])
            let report = try importExport(
                export, into: "moved", owner: alice, database: database,
                claims: ClaimPolicy(trustEveryImporter: true, ownHosts: ["Blogs.Example.org."])
            )
            #expect(report.claims.map(\.status) == [.refused])
            #expect(report.redirects == 0 && report.redirectsRefused == 11)
            #expect(try await database.claims(of: alice).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available) func trustedImportsAreVerifiedAtOnceAndAFeedServiceIsClaimedByItsPath(backend: StoreBackend) async throws {
        try await withStore(on: backend) { database, alice in
            let export = """
                <?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Old</title>
                <link>https://old.example/blog</link><atom:link rel="self" href="http://feeds.example/old-blog"/>
                <item><title>P</title><link>https://old.example/blog/p</link><guid>p</guid><pubDate>Tue, 02 Mar 2010 10:00:00 +0000</pubDate></item>
                </channel></rss>
                """
            let report = try importExport(export, into: "moved", owner: alice, database: database)
            #expect(report.claims.map(\.root).sorted() == ["https://feeds.example/old-blog/", "https://old.example/blog/"])
            #expect(report.claims.allSatisfy { $0.status == .verified })
            #expect(try await database.redirect(from: OldAddress(host: "old.example", path: "/blog/p"))?.target == "/moved/2010/03/p")
            #expect(try await database.redirect(from: OldAddress(host: "feeds.example", path: "/old-blog"))?.target == "/moved/feed.atom")
        }
    }
}

@Suite struct ClaimVerifierTests {
    @Test(arguments: [
        (#"<head><meta name="ferry-verification" content="T1"></head>"#, true),
        ("<HEAD><META NAME='Ferry-Verification' data-x CONTENT='T1' /></HEAD>", true),
        ("<meta content=T1 name=ferry-verification>", true),
        (#"<meta name="ferry-verification" content="T2"><meta name="description" content="T1">"#, false),
        (#"<p>ferry-verification T1</p>"#, false),
    ])
    func theTokenCountsOnlyInItsOwnMetaElement(html: String, found: Bool) {
        let elements = ClaimVerifier.metaElements(in: Data(html.utf8))
        #expect(elements.contains { ClaimVerifier.names($0, token: "T1") } == found, "\(html)")
    }
}
