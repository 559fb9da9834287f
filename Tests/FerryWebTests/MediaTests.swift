import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// What a stand-in old host serves: path → content type, bytes; a test may change it.
final class OldHostFiles: Sendable {
    private let files: Mutex<[String: (String, Data)]>

    init(_ files: [String: (String, Data)] = [:]) {
        self.files = Mutex(files)
    }

    subscript(path: String) -> (String, Data)? {
        get { files.withLock { $0[path] } }
        set { files.withLock { $0[path] = newValue } }
    }
}

/// A stand-in for the old blog host: serves `files` (path → content type, bytes) on loopback.
func withOldHost(_ files: [String: (String, Data)], _ body: (String) async throws -> Void) async throws {
    try await withOldHost(serving: OldHostFiles(files), body)
}

func withOldHost(serving files: OldHostFiles, _ body: (String) async throws -> Void) async throws {
    let router = Router()
    @Sendable func answer(_ request: Request, _: BasicRequestContext) -> Response {
        if request.uri.path == "/trickle.jpg" {
            // A photo whose body arrives one byte every 100 ms, for 20 s.
            return Response(
                status: .ok, headers: [.contentType: "image/jpeg"],
                body: ResponseBody { writer in
                    for _ in 0..<200 {
                        try await writer.write(ByteBuffer(bytes: [0xFF]))
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    try await writer.finish(nil)
                })
        }
        guard let (type, data) = files[request.uri.path] else { return Response(status: .notFound) }
        if request.uri.path == "/moved.jpg" { return Response(status: .found, headers: [.location: "/photo.jpg"]) }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
    router.get("/", use: answer)
    router.get("**", use: answer)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var quiet = Logger(label: "old-host")
    quiet.logLevel = .critical  // stopping it by cancellation is expected here
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: quiet
    )
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        try await body("http://127.0.0.1:\(port)")
        group.cancelAll()
    }
}

@Suite struct MediaTests {
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x42, count: 100))
    static let mp4 = Data([0, 0, 0, 0x18] + Array("ftypmp42".utf8))

    func export(_ host: String) -> String {
        """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Old</title><link>\(host)/</link>
        <item><title>With photos</title><link>\(host)/post</link><guid>old-1</guid><pubDate>Tue, 02 Mar 2010 10:00:00 +0000</pubDate>
        <description>&lt;p&gt;&lt;img src="/photo.jpg"&gt;&lt;img src="\(host)/photo.jpg"&gt;&lt;img src="\(host)/moved.jpg"&gt;&lt;img src="\(host)/gone.jpg"&gt;&lt;img src="\(host)/page.html"&gt;&lt;/p&gt;</description>
        <enclosure url="\(host)/clip.mp4" type="video/mp4" length="12"/></item>
        </channel></rss>
        """
    }

    @Test func photosAndVideosMoveOnceAndStayAsPrivateAsTheirBlog() async throws {
        try await withOldHost([
            "/photo.jpg": ("image/jpeg", Self.jpeg), "/moved.jpg": ("image/jpeg", Self.jpeg), "/clip.mp4": ("video/mp4", Self.mp4),
            "/page.html": ("text/html", Data("<script>x</script>".utf8)),
        ]) { host in
            try await withApp(configure: {
                $0.fetchMedia = true
                $0.allowPrivateMediaAddresses = true
            }) { client in
                let alice = try await client.newIdentity("alice")
                _ = try await client.newIdentity("mallory")
                let id = try await analyse(client, export(host), token: alice)
                _ = try await client.send(.post, "/api/migrations/\(id)/confirm", token: alice)
                let done = try await finished(client, id, token: alice)
                let report = try #require(done["report"] as? [String: Any])
                #expect(report["photos"] as? Int == 1, "three addresses, one photo")
                #expect(report["videos"] as? Int == 1)
                #expect(report["mediaKeptAtOldAddress"] as? Int == 2)
                let failures = try #require(report["mediaFailures"] as? [[String: String]])
                #expect(failures.count == 2)
                #expect(failures.contains { $0["address"] == "\(host)/gone.jpg" && $0["reason"]?.contains("404") == true })
                #expect(failures.contains { $0["address"] == "\(host)/page.html" && $0["reason"]?.contains("text/html") == true })

                let post = try #require((try await client.send(.get, "/api/blogs/moved/posts").json()["posts"] as? [[String: Any]])?.first)
                let content = try #require(post["content"] as? String)
                let photo = try #require(content.range(of: #"/media/[0-9a-f]{64}\.jpg"#, options: .regularExpression).map { String(content[$0]) })
                #expect(content.components(separatedBy: photo).count == 4, "all three addresses of the photo point at one copy")
                #expect(content.contains("\(host)/gone.jpg"))
                #expect(content.contains(#"<video src="/media/"#))

                let served = try await client.send(.get, photo)
                #expect(served.status == .ok)
                #expect(served.headers[.contentType] == "image/jpeg")
                #expect(served.body.readableBytes == Self.jpeg.count)
                // Shared caches keep it only as long as the origin still says yes: a blog that
                // turns private, or a deleted post, takes its media out of every cache at once.
                #expect(served.headers[.cacheControl] == "public, no-cache")
                let etag = try #require(served.headers[.eTag])
                #expect(try await client.send(.get, photo, headers: [.ifNoneMatch: etag]).status == .notModified)
                #expect(try await client.send(.get, "/media/" + String(repeating: "0", count: 64) + ".jpg").status == .notFound)
                for path in ["/media/../ferry.sqlite", "/media/%2e%2e%2fferry.sqlite", "/media/ferry.sqlite"] {
                    let escape = try await client.send(.get, path)
                    #expect(escape.status == .notFound || escape.status == .badRequest, "\(path): \(escape.status)")
                    #expect(!escape.text.contains("SQLite format"))
                }

                // The offline copy lists the stored media as attachments with absolute URLs.
                let copy = try await client.send(.get, "/api/blogs/moved/export", token: alice).text
                #expect(copy.contains("<wp:attachment_url>\(siteURL)\(photo)</wp:attachment_url>"))
                #expect(copy.contains("src=\"\(siteURL)\(photo)\""))
                #expect(copy.components(separatedBy: "<wp:post_type>attachment</wp:post_type>").count == 3, "the photo and the video, once each")

                // Once the blog is private, its media are as private as its posts.
                _ = try await client.send(.patch, "/api/blogs/moved", token: alice, json: #"{"visibility":"private"}"#)
                #expect(try await client.send(.get, photo).status == .notFound)
                #expect(try await client.send(.get, photo, headers: [.ifNoneMatch: etag]).status == .notFound, "no 304 for a cache either")
                let own = try await client.send(.get, photo, token: alice)
                #expect(own.status == .ok)
                #expect(own.headers[.cacheControl] == "private, max-age=31536000, immutable")
            }
            try await withApp(configure: { $0.fetchMedia = true }) { client in
                let alice = try await client.newIdentity("alice")
                let id = try await analyse(client, export(host), token: alice)
                _ = try await client.send(.post, "/api/migrations/\(id)/confirm", token: alice)
                let report = try #require(try await finished(client, id, token: alice)["report"] as? [String: Any])
                #expect(report["photos"] as? Int == 0, "loopback is refused unless the operator allows it")
                let failures = try #require(report["mediaFailures"] as? [[String: String]])
                #expect(failures.contains { $0["address"] == "\(host)/photo.jpg" && $0["reason"] == "127.0.0.1 is not a public web address" })
            }
        }
    }

    /// Blogger's "click to enlarge": the link to the large photo around the small one, on its
    /// photo host (here on loopback), whose newer addresses have no extension. After the move
    /// nothing of the post, on its page or in the feed, points at the old host for a photo.
    @Test func bloggersPhotoInTwoSizesMovesWhole() async throws {
        let large = Data([0xFF, 0xD8, 0xFF, 0xE1] + Array(repeating: 0x51, count: 300))
        try await withOldHost([
            "/img/b/R29v/s1600/photo.jpg": ("image/jpeg", large), "/img/b/R29v/s320/photo.jpg": ("image/jpeg", Self.jpeg),
            "/img/a/AVvXsEh=s1600": ("image/jpeg", large),
        ]) { host in
            let html =
                #"<a href="\#(host)/img/b/R29v/s1600/photo.jpg"><img src="\#(host)/img/b/R29v/s320/photo.jpg"></a> <a href="\#(host)/img/b/R29v/s1600-h/photo.jpg">the old page</a> <a href="\#(host)/img/a/AVvXsEh=s1600">newer</a> <a href="\#(host)/2010/05/other.html">another post</a>"#
            let export = BloggerFixture.export(root: host, title: "Photos", html: html)
            try await withApp(configure: {
                $0.fetchMedia = true
                $0.allowPrivateMediaAddresses = true
            }) { client in
                let alice = try await client.newIdentity("alice")
                let id = try await analyse(client, export, token: alice)
                #expect(
                    try await client.send(.get, "/api/migrations/\(id)", token: alice).json()["summary"].flatMap { ($0 as? [String: Any])?["media"] as? Int }
                        == 3,
                    "the extensionless link is only known as a photo on Blogger's own photo hosts")
                _ = try await client.send(.post, "/api/migrations/\(id)/confirm", token: alice)
                let report = try #require(try await finished(client, id, token: alice)["report"] as? [String: Any])
                #expect(report["photos"] as? Int == 2, "both sizes; the old s1600-h page gives the large photo again")
                #expect((report["mediaFailures"] as? [Any])?.isEmpty == true)
                let page = try await client.send(.get, "/moved/2010/05/photos").text
                let feed = try await client.send(.get, "/moved/feed.atom").text
                for document in [page, feed] {
                    let oldAddresses = document.components(separatedBy: host).count - 1
                    #expect(oldAddresses == 2, "the extensionless photo (not on a photo host here) and the link to another post")
                    #expect(document.contains("/media/"))
                }
            }
        }
    }

    /// A host name is resolved once: the address checked is the address connected to (no
    /// second lookup that a rebinding name could answer differently). Here only the fetcher's
    /// resolver knows `old.test`, so fetching it proves the connection used that answer.
    /// Refusals and failures name the address asked for, nothing of the network behind it.
    @Test func theAddressCheckedIsTheAddressConnectedTo() async throws {
        try await withOldHost(["/photo.jpg": ("image/jpeg", Self.jpeg)]) { host in
            let port = try #require(URL(string: host)?.port)
            var limits = MediaFetcher.Limits()
            limits.resolver = HostResolver(["old.test": "127.0.0.1", "rebound.test": "10.1.2.3"])
            limits.allowPrivateAddresses = true
            let fetched = try await MediaFetcher(limits: limits).fetch("http://old.test:\(port)/photo.jpg")
            #expect(fetched.data == Self.jpeg)

            limits.allowPrivateAddresses = false
            for (address, reason) in [
                ("http://old.test:\(port)/photo.jpg", "old.test is not a public web address"),
                ("http://rebound.test/photo.jpg", "rebound.test is not a public web address"),
                ("http://nowhere.test/photo.jpg", "nowhere.test is not a public web address"),
                ("http://[::ffff:127.0.0.1]:\(port)/photo.jpg", "::ffff:127.0.0.1 is not a public web address"),
            ] {
                await #expect(throws: FerryError.unfetchable(reason)) { try await MediaFetcher(limits: limits).fetch(address) }
            }
            // The client retries a refused connection until the deadline: either way, no details.
            limits.allowPrivateAddresses = true
            limits.timeout = .seconds(1)
            await #expect {
                try await MediaFetcher(limits: limits).fetch("http://127.0.0.1:1/photo.jpg")
            } throws: { error in
                ["http://127.0.0.1:1/photo.jpg could not be fetched", "http://127.0.0.1:1/photo.jpg took longer than 1 s to fetch"]
                    .contains((error as? FerryError)?.message ?? "")
            }
        }
    }

    /// One deadline covers the whole fetch: a server that sends its headers at once and then
    /// trickles the body costs the fetch its deadline, not the migration its worker.
    @Test func aTricklingBodyEndsAtTheDeadline() async throws {
        try await withOldHost([:]) { host in
            var limits = MediaFetcher.Limits()
            limits.timeout = .seconds(2)
            limits.allowPrivateAddresses = true
            let fetcher = MediaFetcher(limits: limits)
            // A machine too busy to deliver a byte within 2 s ends it at the read timeout instead.
            await #expect {
                _ = try await fetcher.fetch("\(host)/trickle.jpg")
            } throws: { error in
                let message = (error as? FerryError)?.message ?? ""
                return message == "\(host)/trickle.jpg took longer than 2 s to fetch" || message.hasSuffix("broke off")
            }
        }
    }

    /// Video players seek with `Range`: one byte range is answered with 206 and exactly those
    /// bytes, a range past the end with 416, anything else with the whole file.
    @Test func mediaAnswerByteRanges() async throws {
        let video = Data((0..<1_000).map { UInt8(truncatingIfNeeded: $0) })
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                try await client.createBlog("clips", token: alice)
                let stored = try await withTestStore(folder) { database in
                    let stored = try await MediaLibrary(database: database, directory: folder.appendingPathComponent("media")).store(
                        video, contentType: "video/mp4")
                    let owner = try #require(try await database.identity(handle: Handle(trusted: "alice"))).id
                    try database.importIntoBlog(BlogSlug(trusted: "clips"), owner: owner, createWith: nil) { batch in try batch.use(stored) }
                    return stored
                }

                let whole = try await client.send(.get, stored.path)
                #expect(whole.status == .ok && whole.data == video && whole.headers[.acceptRanges] == "bytes")
                let cases: [(String, HTTPResponse.Status, String?, Range<Int>)] = [
                    ("bytes=0-99", .partialContent, "bytes 0-99/1000", 0..<100),
                    ("bytes=990-", .partialContent, "bytes 990-999/1000", 990..<1_000),
                    ("bytes=-10", .partialContent, "bytes 990-999/1000", 990..<1_000),
                    ("bytes=500-5000", .partialContent, "bytes 500-999/1000", 500..<1_000),
                    ("bytes=1000-", .rangeNotSatisfiable, "bytes */1000", 0..<0),
                    ("bytes=0-1,5-6", .ok, nil, 0..<1_000),
                    ("bytes=9-2", .ok, nil, 0..<1_000),
                    ("items=0-1", .ok, nil, 0..<1_000),
                ]
                for (range, status, contentRange, expected) in cases {
                    let response = try await client.send(.get, stored.path, headers: [.range: range])
                    #expect(response.status == status, "\(range)")
                    #expect(response.headers[.contentRange] == contentRange, "\(range)")
                    #expect(response.data == video.subdata(in: expected), "\(range)")
                }
                let stale = try await client.send(.get, stored.path, headers: [.range: "bytes=0-9", .ifRange: "\"another\""])
                #expect(stale.status == .ok && stale.data == video)
            }
        }
    }

    @Test func anOfflineCopyBringsItsPhotosAndVideosIntoANewBlog() async throws {
        try await withOldHost(["/photo.jpg": ("image/jpeg", Self.jpeg), "/clip.mp4": ("video/mp4", Self.mp4)]) { host in
            // The copy's media addresses are absolute, so this server must know its own address.
            try await withApp(configure: {
                $0.fetchMedia = true
                $0.allowPrivateMediaAddresses = true
                $0.baseURL = nil
            }) { client in
                let alice = try await client.newIdentity("alice")
                let moved = try await analyse(client, export(host), token: alice)
                _ = try await client.send(.post, "/api/migrations/\(moved)/confirm", token: alice)
                _ = try await finished(client, moved, token: alice)
                let original = try #require((try await client.send(.get, "/api/blogs/moved/posts").json()["posts"] as? [[String: Any]])?.first)

                let copy = try await client.send(.get, "/api/blogs/moved/export", token: alice).data
                let again = try await analyse(client, String(decoding: copy, as: UTF8.self), token: alice, blog: "copy")
                _ = try await client.send(.post, "/api/migrations/\(again)/confirm", token: alice)
                let report = try #require(try await finished(client, again, token: alice)["report"] as? [String: Any])
                #expect(report["photos"] as? Int == 1)
                #expect(report["videos"] as? Int == 1)
                #expect((report["leftBehind"] as? [String: Int]) == [:])
                let copied = try #require((try await client.send(.get, "/api/blogs/copy/posts").json()["posts"] as? [[String: Any]])?.first)
                #expect(copied["content"] as? String == original["content"] as? String, "the same stored photo and video, at the same addresses")
            }
        }
    }

    private func analyse(_ client: some TestClientProtocol, _ xml: String, token: String, blog: String = "moved") async throws -> String {
        let response = try await client.executeRequest(
            uri: "/api/migrations?blog=\(blog)&mode=new", method: .post, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: xml)
        )
        return try #require(try response.json()["id"] as? String, "\(response.text)")
    }

    private func finished(_ client: some TestClientProtocol, _ id: String, token: String) async throws -> [String: Any] {
        // A deadline, not a count of polls: under the full suite on PostgreSQL a poll takes longer.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let state = try await client.send(.get, "/api/migrations/\(id)", token: token).json()
            if let status = state["status"] as? String, status == "done" || status == "failed" { return state }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError(message: "migration \(id) did not finish")
    }
}
