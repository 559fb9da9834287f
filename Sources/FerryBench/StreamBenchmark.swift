import AsyncHTTPClient
import FerryCore
import FerrySeed
import FerryStore
import FerryWeb
import Foundation
import NIOCore
import NIOHTTP1

/// The stream benchmark: `GET /api/me/stream?limit=50` for identities with about 10, 200 and
/// 1,000+ contacts in a world of 100,000 identities and 2,000,000 activities, alone and under
/// concurrent load, against `GET /healthz` in the same run; and how long a published post
/// takes to show in its author's contacts' streams.
public struct StreamBenchmark: Sendable {
    public var configuration: FerryConfiguration
    public var identities: Int
    public var activities: Int
    public var concurrency: Int
    public var requests: Int
    public var publishes: Int

    public init(configuration: FerryConfiguration, identities: Int, activities: Int, concurrency: Int, requests: Int, publishes: Int) {
        self.configuration = configuration
        self.identities = identities
        self.activities = activities
        self.concurrency = concurrency
        self.requests = requests
        self.publishes = publishes
    }

    public struct Outcome: Sendable {
        public var phases: [PhaseResult]
        /// From sending a post to its `201`, sorted.
        public var publishAnswered: [Duration]
        /// From sending a post to its showing in every sampled contact's stream, sorted.
        public var publishToVisible: [Duration]
        public var contactsOfAuthor: Int
    }

    /// Identities of each kind, by their number of accepted contacts.
    static let groups: [(name: String, contacts: ClosedRange<Int>)] = [("10", 9...11), ("200", 190...210), ("1000+", 1_000...100_000)]

    public func run(report: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        let (identities, activities, cost) = (self.identities, self.activities, configuration.bcryptCost)
        let (viewers, hub, author) = try await withSeedDatabase(configuration) { database in
            if try await database.identityCount() == 0 {
                report("making the world: \(identities) identities, \(activities) activities…")
                let clock = ContinuousClock()
                let start = clock.now
                let hash = try await PasswordHasher(cost: cost).hash(Seeder.password)
                let world = try await database.seedStreamWorld(identities: identities, activities: activities, passwordHash: hash)
                report("made in \(clock.now - start): \(world.contactRows) contact rows")
            }
            var viewers: [(name: String, handles: [Handle])] = []
            var hub: (handle: Handle, contacts: Int)?
            for group in Self.groups {
                let found = try await database.identities(withContacts: group.contacts, limit: 16)
                guard !found.isEmpty else {
                    throw BenchmarkError(message: "no identity has \(group.contacts) contacts; start from an empty database and run again")
                }
                viewers.append((group.name, found.map(\.handle)))
                hub = found.first  // The last group's first identity, with 1,000+ contacts, publishes.
            }
            guard let hub, let author = try await database.benchmarkAuthor(hub.handle, contacts: 8) else {
                throw BenchmarkError(message: "no identity to publish as")
            }
            return (viewers, hub, author)
        }
        let (concurrency, requests, publishes, groups) = (self.concurrency, self.requests, self.publishes, viewers)
        return try await BenchServer(configuration: configuration, concurrency: concurrency).run { client, base in
            report("reference: GET /healthz")
            var phases = [
                await runPhase("healthz (reference)", client: client, total: requests, concurrency: concurrency) { _ in
                    HTTPClientRequest(url: base + "/healthz")
                }
            ]
            for (name, handles) in groups {
                var tokens: [String] = []
                for handle in handles { tokens.append(try await signIn(handle, client: client, base: base)) }
                let held = tokens
                report("stream, \(name) contacts")
                for (label, parallel, total) in [("1 client", 1, requests / 10), ("\(concurrency) clients", concurrency, requests)] {
                    phases.append(
                        await runPhase("stream \(name), \(label)", client: client, total: total, concurrency: parallel) { index in
                            Self.streamRequest(base: base, token: held[index % held.count], limit: 50)
                        })
                }
                // The same polls when nothing changed: each client sends the validator it was given.
                var tags: [String] = []
                for token in held {
                    let response = try await client.execute(Self.streamRequest(base: base, token: token, limit: 50), timeout: .seconds(60))
                    tags.append(response.headers.first(name: "ETag") ?? "")
                }
                let validators = tags
                phases.append(
                    await runPhase(
                        "stream \(name), unchanged (304), \(concurrency) clients", client: client, total: requests, concurrency: concurrency,
                        expectedStatus: 304
                    ) {
                        index in
                        var request = Self.streamRequest(base: base, token: held[index % held.count], limit: 50)
                        request.headers.add(name: "If-None-Match", value: validators[index % held.count])
                        return request
                    })
            }
            report("publish → visible, \(publishes) posts by \(hub.handle)")
            let (answered, visible) = try await Self.publishToVisible(
                client: client, base: base, author: hub.handle, blog: author.blog, readers: author.contacts, count: publishes
            )
            return Outcome(phases: phases, publishAnswered: answered, publishToVisible: visible, contactsOfAuthor: hub.contacts)
        }
    }

    static func streamRequest(base: String, token: String, limit: Int) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + "/api/me/stream?limit=\(limit)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return request
    }

    /// Publishes `count` posts one after another; for each, the time from sending it until it
    /// was answered, and until every reader's newest stream item is that post.
    static func publishToVisible(
        client: HTTPClient, base: String, author: Handle, blog: BlogSlug, readers: [Handle], count: Int
    ) async throws -> (answered: [Duration], visible: [Duration]) {
        let token = try await signIn(author, client: client, base: base)
        var readerTokens: [String] = []
        for reader in readers { readerTokens.append(try await signIn(reader, client: client, base: base)) }
        let clock = ContinuousClock()
        var answered: [Duration] = []
        var durations: [Duration] = []
        for number in 0..<count {
            let title = "Visible \(number) \(UUID().uuidString)"
            var request = HTTPClientRequest(url: base + "/api/blogs/\(blog)/posts")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"title":"\#(title)","content":"<p>Now.</p>","tags":[]}"#))
            let sent = clock.now
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .created else { throw BenchmarkError(message: "publishing failed: \(response.status)") }
            answered.append(clock.now - sent)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for reader in readerTokens {
                    group.addTask {
                        while true {
                            let answer = try await client.execute(streamRequest(base: base, token: reader, limit: 1), timeout: .seconds(30))
                            let body = try await answer.body.collect(upTo: 1 << 20)
                            if String(buffer: body).contains(title) { return }
                            guard clock.now - sent < .seconds(10) else { throw BenchmarkError(message: "post not visible after 10 s") }
                        }
                    }
                }
                try await group.waitForAll()
            }
            durations.append(clock.now - sent)
        }
        return (answered.sorted(), durations.sorted())
    }
}
