import AsyncHTTPClient
import FerryCore
import FerrySeed
import FerryStore
import FerryTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Long: runs only with FERRY_LONG_TESTS=1 (`.ci/run` sets it).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FERRY_LONG_TESTS"] == "1", "set FERRY_LONG_TESTS=1 to run the load test"))
struct LoadTests {
    static let clients = 64
    static let duration: Duration = .seconds(8)
    static let leastOperations = 20

    /// What one client did, by its own count.
    struct Tally: Sendable {
        var posts: [Int64] = []
        var comments: [Int64: Int] = [:]
        var invited: Set<String> = []
        var requests = 0
        var serverErrors: [String] = []
    }

    /// 64 clients, each an identity with a blog (every other one private) and contacts, read
    /// pages, feeds and streams and write posts, comments and contact changes for a bounded time
    /// against one `ferry serve`. No answer is a 5xx, every write each client counted is there
    /// exactly once, and the database passes SQLite's integrity and foreign key checks.
    @Test func sixtyFourClientsReadAndWriteWithoutErrorsOrLostWrites() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data").path
            // Clients are the first 64 identities; the next 64 are only ever invited, so each
            // client's outgoing invitations are its own doing alone.
            let seed = try FerryProcess(["seed", "--identities", "\(2 * Self.clients)", "--contacts", "4", "--data", data, "--bcrypt-cost", "4"], in: folder)
            #expect(try await seed.exitStatus() == 0)
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: Self.clients)
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            defer { _ = http.shutdown() }
            let server = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder)
            defer { server.process.terminate() }
            let client = ServerClient(http: http, base: "http://127.0.0.1:\(try await server.listeningPort())")

            let deadline = ContinuousClock.now + Self.duration
            let tallies = try await withThrowingTaskGroup(of: (Int, Tally).self) { group in
                for index in 0..<Self.clients {
                    group.addTask { (index, try await Self.work(as: index, client: client, until: deadline)) }
                }
                return try await group.reduce(into: [Int: Tally]()) { $0[$1.0] = $1.1 }
            }
            server.process.terminate()
            _ = try await server.exitStatus()

            let requests = tallies.values.map(\.requests).reduce(0, +)
            #expect(requests >= Self.clients * (Self.leastOperations + 1), "the clients made \(requests) requests")
            #expect(tallies.values.flatMap(\.serverErrors) == [])
            try await withProcessStore(folder, data: URL(fileURLWithPath: data)) { database in
                #expect(try await integrityProblems(of: database) == [])
                for (index, tally) in tallies {
                    let handle = Seeder.handle(index).rawValue
                    let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "b\(index)")))
                    let posts = try await database.posts(in: blog.id, limit: 100_000)
                    #expect(Set(posts.map(\.id.rawValue)) == Set(tally.posts), "\(handle)'s posts")
                    for post in posts {
                        #expect(post.commentCount == tally.comments[post.id.rawValue, default: 0], "comments on \(handle)'s post \(post.id)")
                        #expect(try await database.comments(of: post.id, limit: 1_000).count == post.commentCount)
                    }
                    let owner = try #require(try await database.identity(handle: Seeder.handle(index)))
                    let outgoing = try await database.contacts(of: owner.id, state: .outgoing, limit: 200).entries.map(\.handle.rawValue)
                    #expect(Set(outgoing) == tally.invited, "\(handle)'s invitations")
                }
            }
        }
    }

    /// One client's session: sign in, make a blog, then a random mix of reads and writes.
    static func work(as index: Int, client: ServerClient, until deadline: ContinuousClock.Instant) async throws -> Tally {
        var tally = Tally()
        var generator = SystemRandomNumberGenerator()
        let handle = Seeder.handle(index).rawValue
        let neighbour = Seeder.handle((index + 1) % clients).rawValue
        let token = try await client.signIn(handle)
        func send(_ method: HTTPMethod, _ path: String, json: String? = nil, as token: String? = token) async throws -> ServerClient.Answer {
            let answer = try await client.send(method, path, token: token, json: json, timeout: 60)
            tally.requests += 1
            if answer.status >= 500 { tally.serverErrors.append("\(method) \(path): \(answer.status)") }
            return answer
        }
        let visibility = index.isMultiple(of: 2) ? "public" : "private"
        _ = try await send(.POST, "/api/blogs", json: #"{"slug":"b\#(index)","title":"Blog \#(index)","language":"en","visibility":"\#(visibility)"}"#)
        // The bounded time, and at least `leastOperations` requests after the blog's however slow
        // the machine is (counted as sent: a turn that finds nothing to comment on sends none).
        while ContinuousClock.now < deadline || tally.requests <= leastOperations {
            switch Int.random(in: 0..<20, using: &generator) {
            case 0..<5:
                let answer = try await send(
                    .POST, "/api/blogs/b\(index)/posts", json: #"{"title":"Post \#(tally.posts.count) of \#(handle)","content":"<p>Hello</p>","tags":["load"]}"#
                )
                if answer.status == 201, let id = try answer.json()["id"] as? Int64 { tally.posts.append(id) }
            case 5..<8:
                guard let post = tally.posts.randomElement(using: &generator) else { continue }
                let answer = try await send(.POST, "/api/blogs/b\(index)/posts/\(post)/comments", json: #"{"content":"a comment"}"#)
                if answer.status == 201 { tally.comments[post, default: 0] += 1 }
            case 8:
                let invitee = Seeder.handle(clients + Int.random(in: 0..<clients, using: &generator)).rawValue
                if tally.invited.contains(invitee) {
                    if try await send(.DELETE, "/api/me/contacts/\(invitee)").status == 204 { tally.invited.remove(invitee) }
                } else if try await send(.POST, "/api/me/contacts", json: #"{"handle":"\#(invitee)"}"#).status == 201 {
                    tally.invited.insert(invitee)
                }
            case 9..<12:
                _ = try await send(.GET, "/api/me/stream?limit=20")
            case 12..<14:
                _ = try await send(.GET, "/b\(Int.random(in: 0..<clients, using: &generator))/feed.atom", as: nil)
            case 14..<16:
                _ = try await send(.GET, "/b\(Int.random(in: 0..<clients, using: &generator))/", as: nil)
            case 16:
                _ = try await send(.GET, "/people/\(neighbour)", as: nil)
            default:
                _ = try await send(.GET, "/api/blogs/b\(index)/posts?limit=10")
            }
        }
        return tally
    }
}
