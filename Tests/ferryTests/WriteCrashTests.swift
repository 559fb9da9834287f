import AsyncHTTPClient
import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Long: runs only with FERRY_LONG_TESTS=1 (`.ci/run` sets it).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FERRY_LONG_TESTS"] == "1", "set FERRY_LONG_TESTS=1 to run the crash tests"))
struct WriteCrashTests {
    /// What the server answered 2xx for before it was killed.
    actor Answered {
        var posts: [Int64: String] = [:]
        var comments: [Int64: [String]] = [:]

        func post(_ id: Int64, _ title: String) { posts[id] = title }
        func comment(_ text: String, on post: Int64) { comments[post, default: []].append(text) }
    }

    /// Eight clients write posts and comments as fast as they can; the server is killed with
    /// SIGKILL in the middle. After a restart every write that was answered 2xx is there, once;
    /// the file passes SQLite's integrity and foreign key checks.
    @Test func everyAnsweredWriteSurvivesAKill() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data").path
            let seed = try FerryProcess(["seed", "--identities", "1", "--contacts", "0", "--data", data, "--bcrypt-cost", "4"], in: folder)
            #expect(try await seed.exitStatus() == 0)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = http.shutdown() }

            let server = try FerryProcess(["serve", "--port", "0", "--data", data], in: folder)
            let client = ServerClient(http: http, base: "http://127.0.0.1:\(try await server.listeningPort())")
            let token = try await client.signIn("user0000000")
            #expect(
                try await client.send(.POST, "/api/blogs", token: token, json: #"{"slug":"diary","title":"Diary","language":"en","visibility":"public"}"#)
                    .status == 201)

            let answered = Answered()
            let writers = Task {
                await withTaskGroup(of: Void.self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            // Ends when the server is gone: a refused connection throws.
                            for number in 0... {
                                let title = "w\(writer)-\(number)"
                                guard
                                    let post = try? await client.send(
                                        .POST, "/api/blogs/diary/posts", token: token, json: #"{"title":"\#(title)","content":"<p>x</p>","tags":[]}"#),
                                    post.status == 201, let id = (try? post.json())?["id"] as? Int64
                                else { return }
                                await answered.post(id, title)
                                let text = "on \(title)"
                                guard
                                    let comment = try? await client.send(
                                        .POST, "/api/blogs/diary/posts/\(id)/comments", token: token, json: #"{"content":"\#(text)"}"#),
                                    comment.status == 201
                                else { return }
                                await answered.comment(text, on: id)
                            }
                        }
                    }
                }
            }
            // The kill comes once writes are being answered, however slow the machine is.
            for _ in 0..<600 where await answered.posts.count < 50 {
                try await Task.sleep(for: .milliseconds(50))
            }
            kill(server.process.processIdentifier, SIGKILL)
            _ = try await server.exitStatus()
            await writers.value
            let posts = await answered.posts
            let comments = await answered.comments
            #expect(posts.count >= 50, "the kill came while writes were being answered")

            try await withProcessStore(folder, data: URL(fileURLWithPath: data)) { database in
                #expect(try await integrityProblems(of: database) == [])
                let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "diary")))
                let stored = try await database.posts(in: blog.id, limit: 100_000)
                #expect(Set(stored.map(\.title)).count == stored.count, "no post was written twice")
                let storedTitles = Dictionary(uniqueKeysWithValues: stored.map { ($0.id.rawValue, $0.title) })
                for (id, title) in posts {
                    #expect(storedTitles[id] == title, "post \(id) '\(title)' was answered 201 and is gone")
                }
                for (id, texts) in comments {
                    let kept = try await database.comments(of: PostID(id), limit: 1_000).map(\.content)
                    #expect(kept == texts, "the comments answered 201 on post \(id)")
                }
            }
        }
    }
}
