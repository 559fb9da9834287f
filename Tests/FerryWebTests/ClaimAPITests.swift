import FerryCore
import FerryStore
import FerryTestSupport
import FerryWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Owners prove an old blog theirs by putting the token ferry shows on the old site; ferry
/// fetches it through its safe fetcher. A stranger who named the same old addresses first
/// neither blocks the owner nor keeps them.
@Suite struct ClaimAPITests {
    static func export(root: String, posts: [String]) -> Data {
        let items = posts.map { link in
            "<item><title>Post</title><link>\(link)</link><guid>\(link)</guid><pubDate>Tue, 02 Mar 2010 10:00:00 +0000</pubDate><description>x</description></item>"
        }.joined()
        return Data((#"<?xml version="1.0"?><rss version="2.0"><channel><title>Old</title><link>\#(root)</link>"# + items + "</channel></rss>").utf8)
    }

    @Test func theOwnerVerifiesTheOldSiteAndTheStrangerLosesIt() async throws {
        let oldSite = OldHostFiles()
        try await withOldHost(serving: oldSite) { host in
            try await withTemporaryDirectory { folder in
                try await withApp(data: folder, configure: { $0.allowPrivateMediaAddresses = true }) { client in
                    let migrations = MigrationAPITests()
                    let alice = try await client.newIdentity("alice")
                    let mallory = try await client.newIdentity("mallory")
                    let export = Self.export(root: host + "/", posts: [host + "/2010/03/post"])
                    let stolen = try await migrations.migrate(client, export, query: "blog=stolen&mode=new", token: mallory)
                    let stolenClaims = try #require((stolen["report"] as? [String: Any])?["claims"] as? [[String: Any]])
                    #expect(stolenClaims.map { $0["status"] as? String } == ["pending"])
                    let moved = try await migrations.migrate(client, export, query: "blog=moved&mode=new", token: alice)
                    let shown = try #require(((moved["report"] as? [String: Any])?["claims"] as? [[String: Any]])?.first)
                    #expect(shown["root"] as? String == host + "/")
                    let metaElement = try #require(shown["metaElement"] as? String)

                    let listed = try #require(try await client.send(.get, "/api/claims", token: alice).json()["claims"] as? [[String: Any]])
                    #expect(listed.count == 1 && listed[0]["status"] as? String == "pending")
                    let verifyURL = try #require(listed[0]["verifyURL"] as? String)
                    #expect(listed[0]["fileURL"] as? String == host + "/ferry-verification.txt")

                    // Nothing on the old site yet: refused with what was looked for.
                    let early = try await client.send(.post, verifyURL, token: alice)
                    #expect(early.status == .unprocessableContent)
                    #expect(
                        try early.json()["detail"] as? String ?? ""
                            == "the token was found neither in a <meta name=\"ferry-verification\"> of \(host)/ nor in \(host)/ferry-verification.txt")
                    #expect(try await client.send(.post, verifyURL, token: mallory).status == .notFound, "not hers")
                    #expect(try await client.send(.post, verifyURL).status == .unauthorized)

                    // Mallory's token on the old home page proves nothing for Alice's claim.
                    let malloryURL =
                        try #require(try await client.send(.get, "/api/claims", token: mallory).json()["claims"] as? [[String: Any]])[0]["verifyURL"] as? String
                    let malloryMeta = try #require(stolenClaims[0]["metaElement"] as? String)
                    oldSite["/"] = ("text/html", Data("<html><head>\(malloryMeta)</head></html>".utf8))
                    #expect(try await client.send(.post, verifyURL, token: alice).status == .unprocessableContent)

                    // Spelled as old templates did: upper case, other quotes, more attributes.
                    let token = metaElement.components(separatedBy: "\"")[3]
                    oldSite["/"] = (
                        "text/html; charset=utf-8",
                        Data("<html><head><title>Old</title>\n<META NAME='Ferry-Verification' data-x CONTENT='\(token)' /></head></html>".utf8)
                    )
                    let verified = try await client.send(.post, verifyURL, token: alice)
                    #expect(verified.status == .ok, "\(verified.text)")
                    #expect(try verified.json()["status"] as? String == "verified")
                    #expect(try verified.json()["verifiedBy"] as? String == "page")
                    #expect((try await client.send(.get, "/api/claims", token: mallory).json()["claims"] as? [[String: Any]])?.isEmpty == true)
                    #expect(try await client.send(.post, try #require(malloryURL), token: mallory).status == .notFound)

                    let address = try #require(OldAddress(url: host + "/2010/03/post"))
                    #expect(try await withTestStore(folder) { try await $0.redirect(from: address)?.blog.slug.rawValue } == "moved")
                }
            }
        }
    }

    @Test func aFileBesideTheHomePageVerifiesToo() async throws {
        let oldSite = OldHostFiles()
        try await withOldHost(serving: oldSite) { host in
            try await withApp(configure: { $0.allowPrivateMediaAddresses = true }) { client in
                let alice = try await client.newIdentity("alice")
                let done = try await MigrationAPITests().migrate(
                    client, Self.export(root: host + "/blog", posts: []), query: "blog=moved&mode=new", token: alice)
                let claim = try #require(((done["report"] as? [String: Any])?["claims"] as? [[String: Any]])?.first)
                let token = try #require((claim["metaElement"] as? String)?.components(separatedBy: "\"")[3])
                oldSite["/blog/ferry-verification.txt"] = ("text/plain", Data("\(token)\n".utf8))
                let verified = try await client.send(.post, "/api/claims/\(try #require(claim["claim"] as? Int))/verify", token: alice)
                #expect(try verified.json()["verifiedBy"] as? String == "file", "\(verified.text)")
            }
        }
    }

    /// The owner's profile shows what waits and how to verify it, with a button that checks;
    /// no one else sees it, and the button needs the page's form token.
    @Test func theOwnersProfileShowsWaitingClaimsWithAButton() async throws {
        let oldSite = OldHostFiles()
        try await withOldHost(serving: oldSite) { host in
            try await withApp(configure: { $0.allowPrivateMediaAddresses = true }) { client in
                let alice = try await client.newIdentity("alice")
                _ = try await client.newIdentity("bob")
                _ = try await MigrationAPITests().migrate(client, Self.export(root: host + "/", posts: []), query: "blog=moved&mode=new", token: alice)
                let cookie = try await client.signInCookie("alice")
                let own = try await client.send(.get, "/people/alice", headers: [.cookie: cookie]).text
                #expect(own.contains("Old addresses waiting for you"))
                #expect(own.contains("<strong>\(host)/</strong>"))
                #expect(own.contains("&lt;meta name=&quot;ferry-verification&quot; content=&quot;ferry-"))
                let claimForms = own.components(separatedBy: #"<form method="post" action="/claims/"#)
                let action = try "/claims/" + #require(claimForms.dropFirst().first?.prefix { $0 != "\"" })
                let csrf = try #require(own.components(separatedBy: #"name="csrf" value=""#).dropFirst().first?.prefix { $0 != "\"" })
                #expect(!(try await client.send(.get, "/people/alice").text.contains("waiting for you")))
                #expect(!(try await client.send(.get, "/people/alice", headers: [.cookie: client.signInCookie("bob")]).text.contains("waiting for you")))

                func check(token: Substring) async throws -> TestResponse {
                    try await client.executeRequest(
                        uri: String(action), method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: "csrf=\(token)")
                    )
                }
                #expect(try await check(token: "forged").status == .forbidden)
                let early = try await check(token: csrf)
                #expect(early.status == .seeOther)
                let location = try #require(early.headers[.location])
                #expect(try await client.send(.get, location, headers: [.cookie: cookie]).text.contains("The token was not found on \(host)/ yet"))

                let token =
                    try #require(try await client.send(.get, "/api/claims", token: alice).json()["claims"] as? [[String: Any]])[0]["metaElement"] as? String
                oldSite["/"] = ("text/html", Data("<head>\(try #require(token))</head>".utf8))
                let done = try await client.send(.get, try #require(try await check(token: csrf).headers[.location]), headers: [.cookie: cookie]).text
                #expect(done.contains("\(host)/ is verified: its old addresses lead here now."))
                #expect(!done.contains("Old addresses waiting for you"))
            }
        }
    }
}
