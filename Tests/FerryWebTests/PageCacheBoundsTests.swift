import FerryCore
import FerryTestSupport
import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import FerryWeb

/// The page cache stays within its memory, forgets changes within its bound, and keeps a stale
/// page only for its date.
@Suite struct PageCacheBoundsTests {
    static func page(_ text: String, visibility: BlogVisibility? = .public) -> CachedPage {
        let document = RenderedDocument(bytes: Data(text.utf8), contentType: "text/html", lastModified: Date(), headers: [:])
        return CachedPage(document: document, bar: nil, visibility: visibility)
    }

    @Test func pagesStayWithinTheBudgetAndThoseAskedForStay() async throws {
        try await StoreBackend.sqlite.withStore { store in
            let budget = 64 << 10
            let cache = PageCache(database: store, byteBudget: budget)
            let body = String(repeating: "x", count: 1_000)
            cache.keep(Self.page(body), at: "/asked/", dependencies: [], renderedAfter: cache.stamp())
            for index in 0..<1_000 {
                cache.keep(Self.page(body), at: "/\(index)/", dependencies: [], renderedAfter: cache.stamp())
                #expect(cache.page(at: "/asked/")?.isFresh == true, "a page asked for is kept, whatever else comes")
                #expect(cache.usage.bytes <= budget)
            }
            #expect(cache.page(at: "/0/") == nil, "the pages no one asked for again are dropped")
            cache.keep(Self.page(String(repeating: "y", count: budget)), at: "/huge/", dependencies: [], renderedAfter: cache.stamp())
            #expect(cache.page(at: "/huge/") == nil, "a page larger than an eighth of the budget is never kept")
        }
    }

    @Test func aPageIsStaleAfterAChangeOfWhatItShowsEvenDuringItsRendering() async throws {
        try await StoreBackend.sqlite.withStore { store in
            let cache = PageCache(database: store, byteBudget: 1 << 20, changeMemory: 3)
            let (blog, other, profile) = (PageDependency.blog(BlogID(1)), PageDependency.blog(BlogID(2)), PageDependency.profile(IdentityID(1)))
            let stamp = cache.stamp()
            cache.keep(Self.page("a"), at: "/a/", dependencies: [blog, profile], renderedAfter: stamp)
            #expect(cache.page(at: "/a/")?.isFresh == true)
            cache.changed(other)
            #expect(cache.page(at: "/a/")?.isFresh == true, "another blog's change leaves it fresh")
            cache.changed(profile)
            #expect(cache.page(at: "/a/")?.isFresh == false, "stale, and still kept for its date")

            // A change that lands while a page renders makes the page stale at once.
            let during = cache.stamp()
            cache.changed(blog)
            cache.keep(Self.page("b"), at: "/a/", dependencies: [blog], renderedAfter: during)
            #expect(cache.page(at: "/a/")?.isFresh == false)
            cache.keep(Self.page("b"), at: "/a/", dependencies: [blog], renderedAfter: cache.stamp())
            #expect(cache.page(at: "/a/")?.isFresh == true)

            // Past `changeMemory` changed dependencies, all are forgotten and every page rendered
            // before is stale: safe, and bounded.
            for id in 10..<14 { cache.changed(.blog(BlogID(Int64(id)))) }
            #expect(cache.page(at: "/a/")?.isFresh == false)
        }
    }

    @Test func readersWhoFindAPageStaleTogetherWaitForOneRenderingBegunAfterTheLastChange() async throws {
        try await StoreBackend.sqlite.withStore { store in
            let cache = PageCache(database: store, byteBudget: 1 << 20)
            let renders = Mutex(0)
            let render: @Sendable () async throws -> RenderedPage = {
                renders.withLock { $0 += 1 }
                try await Task.sleep(for: .milliseconds(100))
                return RenderedPage(page: Self.page("p"), dependencies: [.blog(BlogID(1))])
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await cache.rendering("/p/", render) } }
                try await group.waitForAll()
            }
            #expect(renders.withLock { $0 } == 1)

            #expect(cache.page(at: "/p/")?.isFresh == true, "the rendering is kept")

            // A reader who comes after a change of what the page shows renders it again; one who
            // comes after another page's change shares the rendering under way.
            for (change, renderings) in [(PageDependency.blog(BlogID(2)), 1), (.blog(BlogID(1)), 2)] {
                let before = renders.withLock { $0 }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { _ = try await cache.rendering("/p/", render) }
                    try await Task.sleep(for: .milliseconds(20))
                    cache.changed(change)
                    group.addTask { _ = try await cache.rendering("/p/", render) }
                    try await group.waitForAll()
                }
                #expect(renders.withLock { $0 } - before == renderings, "\(change)")
            }
        }
    }
}
