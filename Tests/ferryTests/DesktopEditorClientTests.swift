import AsyncHTTPClient
import FerryCore
import FerryTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The Python that has the clients installed, if any.
let editorClientsPython = ProcessInfo.processInfo.environment["FERRY_PYTHON"]

/// Blog clients someone else wrote, against a running `ferry serve`: python-wordpress-xmlrpc
/// 2.3 (from PyPI), Python's own `xmlrpc.client` replaying Open Live Writer's sequence, and
/// Atompub::Client (Debian's libatompub-perl). `.ci/run` installs them (the Python ones in a
/// virtual environment whose Python it names in `FERRY_PYTHON`).
@Suite(
    .enabled(
        if: editorClientsPython != nil,
        "set FERRY_PYTHON to a Python with python-wordpress-xmlrpc 2.3, and install libatompub-perl (.ci/run does both)"))
struct DesktopEditorClientTests {
    static let clients = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients")
    /// A 120×80 PNG.
    static let photo = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAHgAAABQCAIAAABd+SbeAAAAjklEQVR42u3QMQ0AMAgAMJzMyDxhEy9zsAsXhKNJFTROPgaEAtGiES1atAXRohEtWrQF0aIRLVo0okUjWrRoRItGtGjRiBaNaNGiES0a0aJFI1o0ohdG/7oMEC1aNKJFi1YgWjSiRYu2IFo0okWLtiBaNKJFi0a0aESLFo1o0YgWLRrRohEtWjSiRSN6oQb7DPsBAbDQGgAAAABJRU5ErkJggg=="
    )

    @Test func wordPressLiveWriterAndAtomPubClientsPublishThroughFerry() async throws {
        let python = try #require(editorClientsPython)
        try await withTemporaryDirectory { folder in
            let server = try FerryProcess(
                ["serve", "--port", "0", "--data", folder.appendingPathComponent("data").path, "--bcrypt-cost", "4"], in: folder,
                environment: ["FERRY_FETCH_MEDIA": "0"])
            defer { server.process.terminate() }
            let site = "http://127.0.0.1:\(try await server.listeningPort())"
            let http = ServerClient(http: HTTPClient.shared, base: site)
            let identity = #"{"handle":"writer","password":"correct horse","displayName":"Writer"}"#
            #expect(try await http.send(.POST, "/api/identities", json: identity).status == 201)
            let token = try #require(
                try await http.send(.POST, "/api/sessions", json: #"{"handle":"writer","password":"correct horse"}"#).json()["token"] as? String)
            #expect(try await http.send(.POST, "/api/blogs", token: token, json: #"{"slug":"desk","title":"Desk","language":"en"}"#).status == 201)
            let photo = folder.appendingPathComponent("beach.png")
            try Self.photo?.write(to: photo)

            let library = try runClient(python, "wordpress_client.py", [site + "/xmlrpc", "writer", "correct horse", photo.path], in: folder)
            #expect(library["blogs"] as? [String] == ["desk"])
            #expect(library["title"] as? String == "Written in Python, then edited")
            #expect(library["tags"] as? [String] == ["editors", "python"])
            #expect((library["link"] as? String)?.hasPrefix(site + "/desk/") == true)
            #expect((library["photo"] as? String)?.hasPrefix(site + "/media/") == true)
            #expect((library["recent"] as? [String])?.first == "Written in Python, then edited")
            #expect(library["deleted"] as? Bool == true)
            #expect((library["after"] as? [String])?.contains(library["id"] as? String ?? "") == false)
            #expect(library["draft"] as? [String] == ["draft", "not in the feed"])
            #expect(library["published"] as? [String] == ["publish", "in the feed"])

            let writer = try runClient(python, "live_writer_sequence.py", [site + "/desk/", "writer", "correct horse", photo.path], in: folder)
            #expect(writer["apis"] as? [String] == ["Atom", "Blogger", "MetaWeblog", "MovableType", "WordPress"])
            #expect(writer["title"] as? String == "Written in Live Writer, edited")
            #expect(writer["categories"] as? [String] == ["travel", "desktop"])
            #expect(writer["dateCreated"] as? String == "20251224T18:30:00")
            #expect(writer["hasMore"] as? Bool == true)
            let permaLink = try #require(writer["permaLink"] as? String)
            #expect(permaLink == site + "/desk/2025/12/written-in-live-writer")
            // Publishing here is publishing: the post is on the blog and in its feed.
            #expect(try await http.send(.GET, String(permaLink.dropFirst(site.count))).status == 200)
            let feed = String(decoding: try await http.send(.GET, "/desk/feed.atom").body, as: UTF8.self)
            #expect(feed.contains("Written in Live Writer, edited"))
            #expect(!feed.contains("Temporary post used for theme detection"))

            let atom = try runClient("/usr/bin/perl", "atompub_client.pl", [site + "/atompub/desk", "writer", "correct horse", photo.path], in: folder)
            #expect(atom["created_status"] as? String == "201")
            #expect(atom["draft"] as? String == "yes")
            #expect(atom["published_draft"] as? String == "no")
            #expect(atom["title"] as? String == "Written with Atompub, then published")
            #expect((atom["location"] as? String)?.hasPrefix(site + "/atompub/desk/entries/") == true)
            let permalink = SitePath.permalink(BlogSlug(trusted: "desk"), month: PostMonth(containing: Date()), slug: PostSlug(trusted: "from-perl"))
            #expect(atom["alternate"] as? String == site + permalink)
            #expect((atom["photo"] as? String)?.hasPrefix(site + "/media/") == true)
            #expect((atom["content"] as? String)?.contains("From Perl &amp; friends.") == true)
            #expect(atom["stale_status"] as? String == "412")
            #expect(atom["listed"] as? [String] == ["Written with Atompub, then published", "Saved for later", "Written in Live Writer, edited"])
            #expect(atom["after_delete"] as? String == "gone")
        }
    }
}
