import AsyncHTTPClient
import FerryCore
import FerrySeed
import FerryStore
import FerryWeb
import Foundation
import NIOCore
import NIOHTTP1

/// The rest of the site while one big migration runs: signing in, posting and commenting
/// elsewhere, measured on a quiet site and again while an export of `posts` posts (3 comments
/// each) is imported — the quiet measurement is the reference, in the same run.
public struct ServingBenchmark: Sendable {
    public var configuration: FerryConfiguration
    public var posts: Int
    public var concurrency: Int
    public var quietRequests: Int

    public init(configuration: FerryConfiguration, posts: Int, concurrency: Int, quietRequests: Int) {
        self.configuration = configuration
        self.posts = posts
        self.concurrency = concurrency
        self.quietRequests = quietRequests
    }

    public struct Outcome: Sendable {
        /// Quiet and during-import phases of each kind of request, in that order.
        public var phases: [PhaseResult]
        public var importSeconds: Double
        public var importStatus: String
    }

    /// Seeds an empty data folder (and database), writes the export, and drives the two phases.
    public func run(report: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        try? FileManager.default.removeItem(at: configuration.dataDirectory)
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let hash = try await PasswordHasher(cost: configuration.bcryptCost).hash(Seeder.password)
        try await withSeedDatabase(configuration) { database in
            guard try await database.identityCount() == 0 else {
                throw BenchmarkError(message: "the serving benchmark starts from an empty database; give --database a new one")
            }
            _ = try await database.seed(identities: 50, contactsEach: 2, passwordHash: hash)
        }
        let export = configuration.dataDirectory.appendingPathComponent("serving-export.xml")
        report("writing an export of \(posts) posts…")
        try writeSyntheticWXR(posts: posts, commentsEach: 3, to: export)
        return try await BenchServer(configuration: configuration, concurrency: concurrency + 2).run { client, base in
            try await drive(client: client, base: base, export: export, report: report)
        }
    }

    private func drive(client: HTTPClient, base: String, export: URL, report: @Sendable (String) -> Void) async throws -> Outcome {
        let poster = try await signIn(Seeder.handle(1), client: client, base: base)
        let commenter = try await signIn(Seeder.handle(2), client: client, base: base)
        let mover = try await signIn(Seeder.handle(3), client: client, base: base)
        // Posts go to many blogs in turn: a blog's feed holds every post of the current month,
        // and one blog taking them all would make the later phase dearer for that alone.
        for desk in 0..<MixedRequests.desks {
            _ = try await send(client, .POST, base + "/api/blogs", token: poster, json: #"{"slug":"desk\#(desk)","title":"Desk","language":"en"}"#)
        }
        let post = try await send(client, .POST, base + "/api/blogs/desk0/posts", token: poster, json: #"{"title":"Open","content":"<p>x</p>","tags":[]}"#)
        guard let postID = (try? JSONSerialization.jsonObject(with: post)).flatMap({ ($0 as? [String: Any])?["id"] as? Int }) else {
            throw BenchmarkError(message: "the post to comment on was not created")
        }
        let requests = MixedRequests(base: base, poster: poster, commenter: commenter, postID: postID)

        report("quiet: sign-in, posting and commenting, \(quietRequests) requests")
        let quiet = await requests.drive(client: client, concurrency: concurrency) { count in count >= quietRequests }

        report("the same while importing \(posts) posts…")
        let body = try Data(contentsOf: export)
        let analysed = try await send(client, .POST, base + "/api/migrations?blog=moved&mode=new", token: mover, body: body)
        guard let id = (try? JSONSerialization.jsonObject(with: analysed)).flatMap({ ($0 as? [String: Any])?["id"] as? String }) else {
            throw BenchmarkError(message: "the export was not accepted")
        }
        let clock = ContinuousClock()
        let started = clock.now
        _ = try await send(client, .POST, base + "/api/migrations/\(id)/confirm", token: mover)
        let status = MigrationStatusWatch()
        let watcher = Task {
            while !Task.isCancelled {
                let state = try? await send(client, .GET, base + "/api/migrations/\(id)", token: mover)
                let text = state.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["status"] as? String ?? ""
                if text == "done" || text == "failed" {
                    await status.finish(text, after: clock.now - started)
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        let during = await requests.drive(client: client, concurrency: concurrency) { _ in await status.isFinished }
        watcher.cancel()
        let (word, took) = await status.outcome
        var phases: [PhaseResult] = []
        for (name, index) in [("sign-in", 0), ("post", 1), ("comment", 2)] {
            phases.append(quiet[index].named("\(name), quiet"))
            phases.append(during[index].named("\(name), during import"))
        }
        return Outcome(phases: phases, importSeconds: took.seconds, importStatus: word)
    }

    private func send(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, token: String, json: String? = nil, body: Data? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: .seconds(600))
        return Data(try await response.body.collect(upTo: 16 << 20).readableBytesView)
    }
}

/// Sign-in, a new post and a comment, in turn, from `concurrency` clients.
private struct MixedRequests: Sendable {
    static let desks = 40
    let base: String
    let poster: String
    let commenter: String
    let postID: Int

    /// Drives requests until `enough(count)`; latencies by kind: sign-in, post, comment.
    func drive(client: HTTPClient, concurrency: Int, enough: @escaping @Sendable (Int) async -> Bool) async -> [PhaseResult] {
        let clock = ContinuousClock()
        let start = clock.now
        let counter = Counter()
        let results = await withTaskGroup(of: ([[Duration]], [Int]).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies: [[Duration]] = [[], [], []]
                    var failures = [0, 0, 0]
                    while true {
                        let index = await counter.next()
                        if await enough(index) { break }
                        let kind = index % 3
                        let sent = clock.now
                        guard let response = try? await client.execute(request(kind, index), timeout: .seconds(60)),
                            (try? await response.body.collect(upTo: 1 << 20)) != nil,
                            response.status == (kind == 0 ? .ok : .created)
                        else {
                            failures[kind] += 1
                            continue
                        }
                        latencies[kind].append(clock.now - sent)
                    }
                    return (latencies, failures)
                }
            }
            var all: ([[Duration]], [Int]) = ([[], [], []], [0, 0, 0])
            for await (latencies, failures) in group {
                for kind in 0..<3 {
                    all.0[kind] += latencies[kind]
                    all.1[kind] += failures[kind]
                }
            }
            return all
        }
        let elapsed = clock.now - start
        return (0..<3).map { kind in
            PhaseResult(
                name: "", requests: results.0[kind].count + results.1[kind], failures: results.1[kind], elapsed: elapsed,
                latencies: results.0[kind].sorted()
            )
        }
    }

    private func request(_ kind: Int, _ index: Int) -> HTTPClientRequest {
        switch kind {
        case 0:
            return signInRequest(base: base, handle: Seeder.handle(10 + index % 40))
        case 1:
            var request = HTTPClientRequest(url: base + "/api/blogs/desk\(index / 3 % Self.desks)/posts")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(poster)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"title":"Note \#(index)","content":"<p>Written while a blog moves.</p>","tags":[]}"#))
            return request
        default:
            var request = HTTPClientRequest(url: base + "/api/blogs/desk0/posts/\(postID)/comments")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(commenter)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"content":"Comment \#(index)"}"#))
            return request
        }
    }
}

private actor Counter {
    private var issued = 0

    func next() -> Int {
        defer { issued += 1 }
        return issued
    }
}

private actor MigrationStatusWatch {
    private var finished: (String, Duration)?

    var isFinished: Bool { finished != nil }
    var outcome: (String, Duration) { finished ?? ("unfinished", .zero) }

    func finish(_ status: String, after duration: Duration) {
        finished = (status, duration)
    }
}

extension PhaseResult {
    func named(_ name: String) -> PhaseResult {
        var copy = self
        copy.name = name
        return copy
    }
}
