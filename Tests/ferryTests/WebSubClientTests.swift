import AsyncHTTPClient
import FerryTestSupport
import Foundation
import NIOHTTP1
import Testing

/// A WebSub subscriber someone else wrote, Flask-WebSub 0.4.1 (from PyPI, installed by
/// `.ci/run` beside the editor clients), against a running `ferry serve`.
@Suite(.enabled(if: editorClientsPython != nil, "set FERRY_PYTHON to a Python with Flask-WebSub 0.4.1 (.ci/run installs it)"))
struct WebSubClientTests {
    @Test func flaskWebSubSubscribesReceivesASignedPostAndUnsubscribes() async throws {
        let python = try #require(editorClientsPython)
        try await withTemporaryDirectory { folder in
            // The subscriber listens on loopback, which the hub reaches only when allowed.
            let server = try FerryProcess(
                ["serve", "--port", "0", "--data", folder.appendingPathComponent("data").path, "--bcrypt-cost", "4"], in: folder,
                environment: ["FERRY_FETCH_MEDIA": "0", "FERRY_ALLOW_PRIVATE_MEDIA": "1"])
            defer { server.process.terminate() }
            let site = "http://127.0.0.1:\(try await server.listeningPort())"
            let http = ServerClient(http: HTTPClient.shared, base: site)
            #expect(
                try await http.send(.POST, "/api/identities", json: #"{"handle":"writer","password":"correct horse","displayName":"Writer"}"#).status == 201)
            let token = try #require(
                try await http.send(.POST, "/api/sessions", json: #"{"handle":"writer","password":"correct horse"}"#).json()["token"] as? String)
            #expect(try await http.send(.POST, "/api/blogs", token: token, json: #"{"slug":"desk","title":"Desk","language":"en"}"#).status == 201)

            let result = try runClient(python, "websub_subscriber.py", [site, token, "desk"], in: folder)
            #expect(result["hub"] as? String == site + "/websub")
            #expect(result["topic"] as? String == site + "/desk/feed.atom")
            #expect(result["subscribed"] as? String == "subscribe")
            #expect(result["lease"] as? Int == 3600)
            #expect(result["posted"] as? Int == 201)
            #expect(result["received"] as? Bool == true)
            #expect(result["unsubscribed"] as? String == "unsubscribe")
            #expect(result["after_unsubscribing"] as? String == "nothing")
        }
    }
}
