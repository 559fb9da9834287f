import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// The hub's durable state, on both backends and across two nodes: claims never overlap,
/// marks that arrive out of order still end with the subscriber holding the newest document,
/// leases end, and limits count what is live.
@Suite struct WebSubStoreTests {
    @Test(arguments: StoreBackend.available)
    func deliveriesConvergeOnTheNewestDocumentWhateverOrderMarksArriveIn(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            let blog = try await Self.blog(in: nodes[0])
            let start = Date()
            let at = { (seconds: Double) in start.addingTimeInterval(seconds) }
            try await Self.subscribe("http://a.example/cb", to: blog, tag: "A", in: nodes[0], at: at(0))

            // Two nodes rendered C, then B (older), and marked in that order.
            #expect(try await nodes[0].markWebSubTopicChanged(blog, contentTag: "C", at: at(1)) == true)
            #expect(try await nodes[1].markWebSubTopicChanged(blog, contentTag: "B", at: at(2)) == true)
            #expect(try await nodes[1].markWebSubTopicChanged(blog, contentTag: "B", at: at(2.5)) == false)
            let stale = try #require(try await nodes[1].claimWebSubDeliveries(limit: 10, for: 60, at: at(3)).first)
            #expect(stale.contentTag == "B")
            // The deliverer rendered from the database after both marks: that is the newest.
            try await nodes[1].finishWebSubDelivery(stale, .delivered(contentTag: "C", renderedAt: at(2.8)), at: at(4))
            #expect(try await Self.state(of: blog, in: nodes[0], at: at(4)) == ["C due: false"])
            // The topic itself was last marked B: C is news to it, but to no subscriber.
            #expect(try await nodes[0].markWebSubTopicChanged(blog, contentTag: "C", at: at(5)) == true)
            #expect(try await nodes[1].claimWebSubDeliveries(limit: 10, for: 60, at: at(5.5)).isEmpty)
            #expect(try await nodes[0].markWebSubTopicChanged(blog, contentTag: "C", at: at(5.6)) == false)

            // A change marked while a delivery was under way stays due.
            #expect(try await nodes[0].markWebSubTopicChanged(blog, contentTag: "D", at: at(6)) == true)
            let sending = try #require(try await nodes[0].claimWebSubDeliveries(limit: 10, for: 60, at: at(7)).first)
            #expect(try await nodes[1].claimWebSubDeliveries(limit: 10, for: 60, at: at(7.5)).isEmpty)
            #expect(try await nodes[1].markWebSubTopicChanged(blog, contentTag: "E", at: at(8)) == true)
            try await nodes[0].finishWebSubDelivery(sending, .delivered(contentTag: "D", renderedAt: at(6.5)), at: at(9))
            #expect(try await Self.state(of: blog, in: nodes[0], at: at(9)) == ["E due: true"])
            // A document kept in memory settles only the delivery it was due.
            let next = try #require(try await nodes[1].claimWebSubDeliveries(limit: 10, for: 60, at: at(10)).first)
            try await nodes[1].finishWebSubDelivery(next, .delivered(contentTag: "D", renderedAt: nil), at: at(11))
            #expect(try await nodes[0].webSubSubscriptions(of: blog, at: at(11)).first?.isDue == true)
            let last = try #require(try await nodes[0].claimWebSubDeliveries(limit: 10, for: 60, at: at(12)).first)
            try await nodes[0].finishWebSubDelivery(last, .delivered(contentTag: "E", renderedAt: nil), at: at(13))
            #expect(try await nodes[1].webSubSubscriptions(of: blog, at: at(13)).first?.isDue == false)
            #expect(try await nodes[1].nextWebSubWork(at: at(13)) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func claimsOfTwoNodesNeverOverlapAndAClaimRunsOut(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            let blog = try await Self.blog(in: nodes[0])
            let now = Date()
            for number in 0..<40 { try await Self.subscribe("http://a.example/\(number)", to: blog, tag: "A", in: nodes[number % 2], at: now) }
            #expect(try await nodes[0].markWebSubTopicChanged(blog, contentTag: "B", at: now) == true)
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for node in 0..<4 { group.addTask { try await nodes[node % 2].claimWebSubDeliveries(limit: 15, for: 60, at: now).map(\.id) } }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(claimed.count == 40)
            #expect(Set(claimed).count == 40)
            // A node that died held its claims; a minute later they are taken again.
            #expect(try await nodes[1].claimWebSubDeliveries(limit: 100, for: 60, at: now.addingTimeInterval(30)).isEmpty)
            #expect(try await nodes[1].nextWebSubWork(at: now).map { abs($0.timeIntervalSince(now.addingTimeInterval(60))) < 1 } == true)
            #expect(try await nodes[1].claimWebSubDeliveries(limit: 100, for: 60, at: now.addingTimeInterval(61)).count == 40)
        }
    }

    @Test(arguments: StoreBackend.available)
    func leasesEndAndLimitsCountWhatIsLiveAndWaiting(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let blog = try await Self.blog(in: store)
            let now = Date()
            var limits = WebSubLimits()
            limits.perTopic = 2
            try await Self.subscribe("http://a.example/1", to: blog, tag: "A", in: store, at: now, lease: 60)
            try await store.requestWebSub(Self.request("http://b.example/2", blog: blog), limits: limits, at: now)
            await #expect(throws: FerryError.self) {
                try await store.requestWebSub(Self.request("http://c.example/3", blog: blog), limits: limits, at: now)
            }
            // Renewing, or asking again while waiting, is not a new subscriber.
            try await store.requestWebSub(Self.request("http://a.example/1", blog: blog), limits: limits, at: now)
            try await store.requestWebSub(Self.request("http://b.example/2", blog: blog), limits: limits, at: now)
            // The first lease ends and the change reaches nobody; the renewal asked for waits
            // as a new subscriber now, until its callback fails to confirm it.
            let later = now.addingTimeInterval(61)
            #expect(try await store.webSubSubscriptions(of: blog, at: later).isEmpty)
            try await store.markWebSubTopicChanged(blog, contentTag: "B", at: later)
            #expect(try await store.claimWebSubDeliveries(limit: 10, for: 60, at: later).isEmpty)
            await #expect(throws: FerryError.self) {
                try await store.requestWebSub(Self.request("http://c.example/3", blog: blog), limits: limits, at: later)
            }
            for pending in try await store.claimWebSubRequests(limit: 10, for: 60, at: later) where pending.request.callback.contains("a.example") {
                try await store.finishWebSubRequest(pending, verified: false, contentTag: "", at: later)
            }
            try await store.requestWebSub(Self.request("http://c.example/3", blog: blog), limits: limits, at: later)
        }
    }

    private static func blog(in store: any Store) async throws -> BlogID {
        let owner = try await store.createIdentity(handle: Handle(trusted: "owner"), displayName: "Owner", passwordHash: "h")
        return try await store.createBlog(
            slug: BlogSlug(trusted: "news"), owner: owner.id, title: "News", language: LanguageTag(trusted: "en"), visibility: .public
        ).id
    }

    private static func request(_ callback: String, blog: BlogID, lease: Int = 3600) -> WebSubRequest {
        WebSubRequest(
            mode: .subscribe, blog: blog, topic: "http://ferry.test/news/feed.atom", callback: callback,
            callbackHost: URL(string: callback)?.host ?? "", secret: nil, leaseSeconds: lease)
    }

    /// A verified subscription that has the document tagged `tag`.
    private static func subscribe(_ callback: String, to blog: BlogID, tag: String, in store: any Store, at now: Date, lease: Int = 3600) async throws {
        try await store.requestWebSub(request(callback, blog: blog, lease: lease), limits: WebSubLimits(), at: now)
        let pending = try await store.claimWebSubRequests(limit: 100, for: 60, at: now)
        for request in pending where request.request.callback == callback {
            try await store.finishWebSubRequest(request, verified: true, contentTag: tag, at: now)
        }
    }

    private static func state(of blog: BlogID, in store: any Store, at now: Date) async throws -> [String] {
        try await store.webSubSubscriptions(of: blog, at: now).map { "\($0.contentTag) due: \($0.isDue)" }
    }
}
