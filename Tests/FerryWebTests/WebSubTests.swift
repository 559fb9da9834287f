import Crypto
import FerryCore
import FerryStore
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import Testing

/// The WebSub hub at /websub (W3C WebSub), with subscribers on loopback.
@Suite struct WebSubTests {
    static let topic = "\(siteURL)/news/feed.atom"

    /// A hub that reaches loopback callbacks and retries quickly.
    static func configure(_ configuration: inout FerryConfiguration) {
        configuration.allowPrivateMediaAddresses = true
        configuration.webSub.firstRetryDelay = 0.2
        configuration.webSub.leaseRange = 1...(30 * 24 * 3600)
        configuration.webSub.callbackTimeout = .seconds(3)
    }

    @Test func feedsNameTheHubAndTheirTopicPrivateOnesNeither() async throws {
        try await withApp(configure: Self.configure) { client in
            let token = try await client.owner()
            try await client.createBlog("quiet", token: token, visibility: "hidden")
            try await client.createBlog("closed", token: token, visibility: "private")
            let feed = try await client.send(.get, "/news/feed.atom")
            let links = #"<\#(siteURL)/websub>; rel="hub", <\#(Self.topic)>; rel="self""#
            #expect(feed.headers[HTTPField.Name("Link")!] == links)
            #expect(feed.text.contains(#"<link rel="hub" href="\#(siteURL)/websub"/>"#))
            #expect(feed.text.contains(#"<link rel="self" href="\#(Self.topic)" type="application/atom+xml"/>"#))
            #expect(try await client.send(.head, "/news/feed.atom").headers[HTTPField.Name("Link")!] == links)
            let hidden = try await client.send(.get, "/quiet/feed.atom")
            #expect(hidden.headers[HTTPField.Name("Link")!]?.contains("<\(siteURL)/quiet/feed.atom>; rel=\"self\"") == true)
            let closed = try await client.send(.get, "/closed/feed.atom", token: token)
            #expect(closed.status == .ok)
            #expect(closed.headers[HTTPField.Name("Link")!] == nil)
            #expect(!closed.text.contains(#"rel="hub""#))
        }
    }

    @Test func aSubscriberIsVerifiedGetsEveryChangeSignedAndLeaves() async throws {
        try await withSubscriber { subscriber in
            try await withApp(configure: Self.configure) { client in
                let token = try await client.owner()
                let callback = subscriber.callback("reader", query: "id=7&kind=atom")
                let accepted = try await client.subscribe(callback, secret: "s3cret", extra: "&hub.unknown=ignored")
                #expect(accepted.status == .accepted)
                try await subscriber.waitFor { _ in !subscriber.verifications(of: "reader").isEmpty }
                let verification = try #require(subscriber.verifications(of: "reader").first)
                #expect(verification.query["id"] == "7")
                #expect(verification.query["kind"] == "atom")
                #expect(verification.query["hub.mode"] == "subscribe")
                #expect(verification.query["hub.topic"] == Self.topic)
                #expect(verification.query["hub.lease_seconds"] == "864000")
                #expect(verification.query["hub.challenge"]?.count ?? 0 >= 32)
                try await client.waitForSubscribers(1, token: token)

                let post = try await client.createPost("news", token: token, title: "Pushed at once")
                try await subscriber.waitFor { _ in subscriber.deliveries(to: "reader").count == 1 }
                let delivery = try #require(subscriber.deliveries(to: "reader").first)
                #expect(delivery.query["id"] == "7")
                #expect(delivery.headers[.contentType] == "application/atom+xml; charset=utf-8")
                #expect(delivery.headers[HTTPField.Name("Link")!] == #"<\#(siteURL)/websub>; rel="hub", <\#(Self.topic)>; rel="self""#)
                #expect(delivery.body.contains("Pushed at once"))
                #expect(delivery.body == (try await client.send(.get, "/news/feed.atom")).text)
                let mac = HMAC<SHA256>.authenticationCode(for: Data(delivery.body.utf8), using: SymmetricKey(data: Data("s3cret".utf8)))
                #expect(delivery.headers[HTTPField.Name("X-Hub-Signature")!] == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())

                let id = try #require(post["id"] as? Int)
                let edited = try await client.send(
                    .put, "/api/blogs/news/posts/\(id)", token: token, json: #"{"title":"Pushed, then edited","content":"<p>Again</p>"}"#)
                #expect(edited.status == .ok)
                try await subscriber.waitFor { _ in subscriber.deliveries(to: "reader").count == 2 }
                #expect(subscriber.deliveries(to: "reader").last?.body.contains("Pushed, then edited") == true)
                #expect(try await client.send(.delete, "/api/blogs/news/posts/\(id)", token: token).status == .noContent)
                try await subscriber.waitFor { _ in subscriber.deliveries(to: "reader").count == 3 }
                #expect(subscriber.deliveries(to: "reader").last?.body.contains("Pushed, then edited") == false)

                #expect(try await client.subscribe(callback, mode: "unsubscribe").status == .accepted)
                try await subscriber.waitFor { _ in subscriber.verifications(of: "reader").count == 2 }
                #expect(subscriber.verifications(of: "reader").last?.query["hub.mode"] == "unsubscribe")
                #expect(subscriber.verifications(of: "reader").last?.query["hub.lease_seconds"] == nil)
                try await client.waitForSubscribers(0, token: token)
                try await client.createPost("news", token: token, title: "Nobody is told")
                try await Task.sleep(for: .milliseconds(500))
                #expect(subscriber.deliveries(to: "reader").count == 3)
            }
        }
    }

    @Test func onlyTheFeedsOfPublicAndHiddenBlogsAreTopicsAndBadRequestsSayWhy() async throws {
        // As installed: callbacks on loopback and private networks are refused.
        try await withApp { client in
            let token = try await client.owner()
            try await client.createBlog("closed", token: token, visibility: "private")
            let callback = "http://subscriber.example/cb"
            let refused: [(String, String)] = [
                ("hub.mode=subscribe&hub.topic=\(esc(siteURL + "/closed/feed.atom"))&hub.callback=\(esc(callback))", "hub.topic"),
                ("hub.mode=subscribe&hub.topic=\(esc(siteURL + "/nothing/feed.atom"))&hub.callback=\(esc(callback))", "hub.topic"),
                ("hub.mode=subscribe&hub.topic=\(esc("http://elsewhere.example/news/feed.atom"))&hub.callback=\(esc(callback))", "hub.topic"),
                ("hub.mode=subscribe&hub.topic=\(esc(siteURL + "/news/feed/2020-01.atom"))&hub.callback=\(esc(callback))", "hub.topic"),
                ("hub.mode=subscribe&hub.topic=\(esc(Self.topic))&hub.callback=\(esc("ftp://subscriber.example/cb"))", "hub.callback"),
                ("hub.mode=subscribe&hub.topic=\(esc(Self.topic))&hub.callback=\(esc("http://subscriber.example/cb#x"))", "hub.callback"),
                ("hub.mode=subscribe&hub.topic=\(esc(Self.topic))&hub.callback=\(esc("http://127.0.0.1:9/cb"))", "hub.callback"),
                ("hub.mode=subscribe&hub.topic=\(esc(Self.topic))", "hub.callback"),
                ("hub.mode=publish&hub.topic=\(esc(Self.topic))&hub.callback=\(esc(callback))", "hub.mode"),
                ("hub.mode=subscribe&hub.topic=\(esc(Self.topic))&hub.callback=\(esc(callback))&hub.lease_seconds=soon", "hub.lease_seconds"),
                (
                    "hub.mode=subscribe&hub.topic=\(esc(Self.topic))&hub.callback=\(esc(callback))&hub.secret=\(String(repeating: "s", count: 200))",
                    "hub.secret"
                ),
            ]
            for (form, field) in refused {
                let response = try await client.executeRequest(
                    uri: "/websub", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form))
                #expect(response.status == .unprocessableContent, "\(form)")
                #expect(try response.json()["field"] as? String == field, "\(form)")
                #expect((try response.json()["detail"] as? String)?.isEmpty == false)
            }
            let json = try await client.send(.post, "/websub", json: #"{"hub.mode":"subscribe"}"#)
            #expect(json.status == .unsupportedMediaType)
            // A hidden blog's feed is a topic like a public one's.
            try await client.createBlog("quiet", token: token, visibility: "hidden")
            #expect(try await client.subscribe(callback, topic: "\(siteURL)/quiet/feed.atom").status == .accepted)
            #expect(try await client.subscribe(callback).status == .accepted)
        }
    }

    @Test func aCallbackThatDoesNotEchoTheChallengeIsNotSubscribed() async throws {
        try await withSubscriber { subscriber in
            try await withApp(configure: Self.configure) { client in
                let token = try await client.owner()
                subscriber.answerVerifications(to: "liar", with: .wrongChallenge)
                subscriber.answerVerifications(to: "missing", with: .status(404))
                #expect(try await client.subscribe(subscriber.callback("liar")).status == .accepted)
                #expect(try await client.subscribe(subscriber.callback("missing")).status == .accepted)
                try await subscriber.waitFor { _ in subscriber.verifications(of: "liar").count == 1 && subscriber.verifications(of: "missing").count == 1 }
                try await client.createPost("news", token: token, title: "Not for them")
                try await Task.sleep(for: .milliseconds(500))
                #expect(subscriber.deliveries(to: "liar").isEmpty)
                #expect(subscriber.deliveries(to: "missing").isEmpty)
                try await client.waitForSubscribers(0, token: token)
            }
        }
    }

    @Test func hostileCallbacksReachNothingTheyShouldNot() async throws {
        try await withSubscriber { subscriber in
            // As installed, with quick retries: a name for loopback is refused when it is
            // resolved, before anything is sent.
            let logs = InMemoryLogHandler()
            let port = try #require(subscriber.base.split(separator: ":").last)
            try await withApp(logs: logs, configure: { $0.webSub.firstRetryDelay = 0.1 }) { client in
                let token = try await client.owner()
                #expect(try await client.subscribe("http://localhost:\(port)/sneaky").status == .accepted)
                try await Self.waitForLog(logs) { $0.filter { $0.message == "a WebSub callback did not answer" }.count == 3 }
                #expect(logs.entries.contains { $0.metadata["ferry.error"]?.description.contains("not a public web address") == true })
                try await client.waitForSubscribers(0, token: token)
            }
            #expect(subscriber.received.isEmpty)
            // Allowed on loopback, a callback that redirects is not followed.
            try await withApp(configure: Self.configure) { client in
                let token = try await client.owner()
                subscriber.answerVerifications(to: "hop", with: .redirect(to: "landing"))
                #expect(try await client.subscribe(subscriber.callback("hop")).status == .accepted)
                try await subscriber.waitFor { _ in subscriber.verifications(of: "hop").count == 1 }
                try await Task.sleep(for: .milliseconds(300))
                #expect(subscriber.verifications(of: "landing").isEmpty)
                try await client.waitForSubscribers(0, token: token)
            }
        }
    }

    @Test func twoNodesDeliverEachChangeOnce() async throws {
        try await withSubscriber { subscriber in
            try await withTemporaryDirectory { folder in
                try await withApp(data: folder, configure: Self.configure) { first in
                    try await withApp(data: folder, configure: Self.configure) { second in
                        let token = try await first.owner()
                        #expect(try await first.subscribe(subscriber.callback("reader")).status == .accepted)
                        try await first.waitForSubscribers(1, token: token)
                        for round in 1...4 {
                            let node = round.isMultiple(of: 2) ? first : second
                            try await node.createPost("news", token: token, title: "Round \(round)")
                            try await subscriber.waitFor { _ in subscriber.deliveries(to: "reader").count == round }
                        }
                        // Both nodes heard of every change; still, each went out once.
                        try await Task.sleep(for: .seconds(1))
                        #expect(subscriber.deliveries(to: "reader").count == 4)
                        #expect(subscriber.deliveries(to: "reader").last?.body.contains("Round 4") == true)
                    }
                }
            }
        }
    }

    private static func waitForLog(_ logs: InMemoryLogHandler, _ condition: ([InMemoryLogHandler.Entry]) -> Bool) async throws {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(15)
        while !condition(logs.entries) {
            guard clock.now < end else { throw HarnessError(message: "the log never showed what was expected") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func failedDeliveriesAreRetriedA410EndsTheSubscription() async throws {
        try await withSubscriber { subscriber in
            let logs = InMemoryLogHandler()
            try await withApp(logs: logs, configure: Self.configure) { client in
                let token = try await client.owner()
                subscriber.answerDeliveries(to: "flaky", with: [500, 503])
                subscriber.answerDeliveries(to: "leaving", with: [410])
                #expect(try await client.subscribe(subscriber.callback("flaky", query: "token=hush")).status == .accepted)
                #expect(try await client.subscribe(subscriber.callback("leaving")).status == .accepted)
                try await client.waitForSubscribers(2, token: token)
                try await client.createPost("news", token: token, title: "Worth the wait")
                try await subscriber.waitFor { _ in subscriber.deliveries(to: "flaky").count == 3 }
                #expect(subscriber.deliveries(to: "flaky").allSatisfy { $0.body.contains("Worth the wait") })
                try await client.waitForSubscribers(1, token: token)
                try await client.createPost("news", token: token, title: "Only the flaky one hears")
                try await subscriber.waitFor { _ in subscriber.deliveries(to: "flaky").count == 4 }
                #expect(subscriber.deliveries(to: "leaving").count == 1)
                // The failures were logged, by host: never with the callback's own query.
                #expect(logs.entries.filter { $0.message == "a WebSub delivery failed" }.count == 2)
                #expect(!logs.entries.contains { "\($0.message) \($0.metadata)".contains("hush") })
            }
        }
    }

    @Test func aSlowSubscriberDelaysNeitherTheOthersNorThePublisher() async throws {
        try await withSubscriber { subscriber in
            try await withApp(configure: {
                Self.configure(&$0)
                $0.webSub.callbackTimeout = .seconds(60)
            }) { client in
                let token = try await client.owner()
                for name in ["slow", "quick"] { #expect(try await client.subscribe(subscriber.callback(name)).status == .accepted) }
                try await client.waitForSubscribers(2, token: token)
                subscriber.hold("slow")
                try await client.createPost("news", token: token, title: "Quick news")
                // The publisher has its answer and the quick subscriber its delivery while the slow
                // one still holds its own unanswered: nobody waited for it.
                try await subscriber.waitFor { _ in subscriber.deliveries(to: "slow").count == 1 && subscriber.deliveries(to: "quick").count == 1 }
                subscriber.release("slow")
                try await client.createPost("news", token: token, title: "Later news")
                try await subscriber.waitFor { _ in subscriber.deliveries(to: "slow").count == 2 && subscriber.deliveries(to: "quick").count == 2 }
                #expect(subscriber.deliveries(to: "slow").last?.body.contains("Later news") == true)
            }
        }
    }

    @Test func leasesAreFiniteRenewedAndEnd() async throws {
        try await withSubscriber { subscriber in
            try await withApp(configure: Self.configure) { client in
                let token = try await client.owner()
                #expect(try await client.subscribe(subscriber.callback("brief"), extra: "&hub.lease_seconds=1").status == .accepted)
                #expect(try await client.subscribe(subscriber.callback("greedy"), extra: "&hub.lease_seconds=999999999").status == .accepted)
                try await subscriber.waitFor { _ in subscriber.verifications(of: "brief").count == 1 && subscriber.verifications(of: "greedy").count == 1 }
                #expect(subscriber.verifications(of: "brief").first?.query["hub.lease_seconds"] == "1")
                #expect(subscriber.verifications(of: "greedy").first?.query["hub.lease_seconds"] == "2592000")
                try await Task.sleep(for: .milliseconds(1_500))
                try await client.waitForSubscribers(1, token: token)
                try await client.createPost("news", token: token, title: "After the lease")
                try await subscriber.waitFor { _ in subscriber.deliveries(to: "greedy").count == 1 }
                #expect(subscriber.deliveries(to: "brief").isEmpty)
                // Subscribing again renews: the lease starts over.
                #expect(try await client.subscribe(subscriber.callback("brief"), extra: "&hub.lease_seconds=3600").status == .accepted)
                try await client.waitForSubscribers(2, token: token)
            }
        }
    }

    @Test func eachTopicAndCallbackHostTakesOnlySoManySubscribers() async throws {
        try await withSubscriber { subscriber in
            try await withApp(configure: {
                Self.configure(&$0)
                $0.webSub.limits.perTopic = 2
                $0.webSub.limits.perCallbackHost = 3
            }) { client in
                let token = try await client.owner()
                try await client.createBlog("other", token: token)
                #expect(try await client.subscribe(subscriber.callback("one")).status == .accepted)
                #expect(try await client.subscribe(subscriber.callback("two")).status == .accepted)
                let third = try await client.subscribe(subscriber.callback("three"))
                #expect(third.status == .tooManyRequests)
                #expect(try third.json()["field"] as? String == "hub.topic")
                try await client.waitForSubscribers(2, token: token)
                #expect(try await client.subscribe(subscriber.callback("one")).status == .accepted)
                let other = "\(siteURL)/other/feed.atom"
                #expect(try await client.subscribe(subscriber.callback("four"), topic: other).status == .accepted)
                let host = try await client.subscribe(subscriber.callback("five"), topic: other)
                #expect(host.status == .tooManyRequests)
                #expect(try host.json()["field"] as? String == "hub.callback")
            }
        }
    }

    @Test func aTopicThatTurnsPrivateEndsItsSubscriptionsWithoutItsContent() async throws {
        try await withSubscriber { subscriber in
            try await withApp(configure: Self.configure) { client in
                let token = try await client.owner()
                #expect(try await client.subscribe(subscriber.callback("reader")).status == .accepted)
                try await client.waitForSubscribers(1, token: token)
                let update = try await client.send(.patch, "/api/blogs/news", token: token, json: #"{"visibility":"private"}"#)
                #expect(update.status == .ok)
                try await client.createPost("news", token: token, title: "Secret plans")
                try await subscriber.waitFor { _ in subscriber.verifications(of: "reader").count == 2 }
                let denial = try #require(subscriber.verifications(of: "reader").last)
                #expect(denial.query["hub.mode"] == "denied")
                #expect(denial.query["hub.topic"] == Self.topic)
                try await client.waitForSubscribers(0, token: token)
                #expect(!subscriber.received.contains { $0.body.contains("Secret plans") })
                #expect(subscriber.deliveries(to: "reader").isEmpty)
            }
        }
    }

    @Test func deliveriesDueWhenTheServerStopsAreMadeAfterItStarts() async throws {
        try await withSubscriber { subscriber in
            try await withTemporaryDirectory { folder in
                subscriber.answerDeliveries(to: "patient", with: [500])
                let slow: (inout FerryConfiguration) -> Void = {
                    Self.configure(&$0)
                    $0.webSub.firstRetryDelay = 1
                }
                try await withApp(data: folder, configure: slow) { client in
                    let token = try await client.owner()
                    #expect(try await client.subscribe(subscriber.callback("patient"), secret: "kept").status == .accepted)
                    try await client.waitForSubscribers(1, token: token)
                    try await client.createPost("news", token: token, title: "Survives a restart")
                    try await subscriber.waitFor { _ in subscriber.deliveries(to: "patient").count == 1 }
                }
                try await withApp(data: folder, configure: slow) { client in
                    try await subscriber.waitFor { _ in subscriber.deliveries(to: "patient").count == 2 }
                    let delivery = try #require(subscriber.deliveries(to: "patient").last)
                    #expect(delivery.body.contains("Survives a restart"))
                    #expect(delivery.headers[HTTPField.Name("X-Hub-Signature")!]?.hasPrefix("sha256=") == true)
                }
            }
        }
    }

    @Test func theSignatureMethodIsTheInstallationsAndAnExternalHubIsPinged() async throws {
        try await withSubscriber { subscriber in
            try await withApp(configure: {
                Self.configure(&$0)
                $0.webSub.signature = .sha512
                $0.webSub.externalHub = subscriber.callback("hosted-hub")
            }) { client in
                let token = try await client.owner()
                let feed = try await client.send(.get, "/news/feed.atom")
                #expect(feed.headers[HTTPField.Name("Link")!]?.contains("<\(subscriber.callback("hosted-hub"))>; rel=\"hub\"") == true)
                #expect(try await client.subscribe(subscriber.callback("reader"), secret: "abc").status == .accepted)
                try await client.waitForSubscribers(1, token: token)
                try await client.createPost("news", token: token, title: "Signed with SHA-512")
                try await subscriber.waitFor { _ in !subscriber.deliveries(to: "reader").isEmpty && !subscriber.deliveries(to: "hosted-hub").isEmpty }
                let delivery = try #require(subscriber.deliveries(to: "reader").first)
                let mac = HMAC<SHA512>.authenticationCode(for: Data(delivery.body.utf8), using: SymmetricKey(data: Data("abc".utf8)))
                #expect(delivery.headers[HTTPField.Name("X-Hub-Signature")!] == "sha512=" + mac.map { String(format: "%02x", $0) }.joined())
                let ping = try #require(subscriber.deliveries(to: "hosted-hub").first)
                #expect(ping.body == "hub.mode=publish&hub.topic=\(esc(Self.topic))")
                #expect(ping.headers[.contentType] == "application/x-www-form-urlencoded")
            }
        }
    }

    @Test(arguments: [
        (HubSignature.sha1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        (.sha256, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (.sha384, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
        (.sha512, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
    ])
    func signaturesAreRFC4231HMACs(method: HubSignature, digest: String) {
        #expect(method.header(for: Data("what do ya want for nothing?".utf8), secret: "Jefe") == "\(method.rawValue)=\(digest)")
    }
}

private func esc(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
}

extension TestClientProtocol {
    /// Signs up the owner of the public blog "news"; answers their token.
    fileprivate func owner() async throws -> String {
        try await signUp("owner")
        let token = try await signIn("owner")
        try await createBlog("news", token: token)
        return token
    }

    fileprivate func subscribe(
        _ callback: String, mode: String = "subscribe", topic: String = WebSubTests.topic, secret: String? = nil, extra: String = ""
    ) async throws -> TestResponse {
        var form = "hub.callback=\(esc(callback))&hub.mode=\(mode)&hub.topic=\(esc(topic))"
        if let secret { form += "&hub.secret=\(esc(secret))" }
        return try await executeRequest(
            uri: "/websub", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form + extra))
    }

    /// Waits until the topic of "news" has `count` verified subscribers.
    fileprivate func waitForSubscribers(_ count: Int, blog: String = "news", token: String) async throws {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(15)
        while true {
            let status = try await send(.get, "/api/blogs/\(blog)/websub", token: token)
            let subscribers = (try? status.json()["subscribers"] as? Int) ?? -1
            if subscribers == count { return }
            guard clock.now < end else { throw HarnessError(message: "\(blog) has \(subscribers) subscribers, not \(count): \(status.text)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
