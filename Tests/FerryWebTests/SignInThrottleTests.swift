import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import FerryWeb

/// A clock that moves only when told, so that no test depends on how fast the machine is.
final class TestClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)

    private let startDate = Date()

    func now() -> ContinuousClock.Instant { start + offset.withLock { $0 } }
    /// The same moment as a date (the throttle's failures shared with other nodes go by dates).
    func date() -> Date { startDate.addingTimeInterval(offset.withLock { $0 }.seconds) }
    func advance(by duration: Duration) { offset.withLock { $0 += duration } }
}

@Suite struct SignInThrottleTests {
    /// Three free failures, then waits of a second, doubling, on `clock`.
    static func policy(_ clock: TestClock) -> (inout FerryConfiguration) -> Void {
        { configuration in
            configuration.signInThrottle.freeFailures = 3
            configuration.signInThrottle.now = { clock.now() }
            configuration.signInThrottle.date = { clock.date() }
        }
    }

    static func signIn(_ client: any TestClientProtocol, _ handle: String, _ password: String) async throws -> TestResponse {
        try await client.send(.post, "/api/sessions", json: #"{"handle":"\#(handle)","password":"\#(password)"}"#)
    }

    @Test func failedSignInsSlowDownThatHandleOnlyUntilItWaits() async throws {
        let clock = TestClock()
        try await withApp(configure: Self.policy(clock)) { client in
            try await client.signUp("alice")
            try await client.signUp("bob")
            for _ in 0..<4 { #expect(try await Self.signIn(client, "alice", "guess").status == .unauthorized) }
            // Waiting now: even the right password is refused before it is checked.
            let refused = try await Self.signIn(client, "ALICE", "correct horse")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try refused.json()["detail"] as? String == "too many failed sign-ins with this handle; try again in 1 seconds")
            #expect(try await Self.signIn(client, "bob", "correct horse").status == .ok)
            // A handle that does not exist is treated the same, so refusals reveal nothing.
            for _ in 0..<4 { #expect(try await Self.signIn(client, "nobody", "guess").status == .unauthorized) }
            #expect(try await Self.signIn(client, "nobody", "guess").status == .tooManyRequests)

            clock.advance(by: .milliseconds(1_001))
            #expect(try await Self.signIn(client, "alice", "correct horse").status == .ok)
            #expect(try await Self.signIn(client, "alice", "guess").status == .unauthorized, "a success forgets the failures")
        }
    }

    @Test func parallelGuessesAreCountedAsTheyStart() async throws {
        try await withApp(configure: Self.policy(TestClock())) { client in
            try await client.signUp("alice")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 { group.addTask { try await Self.signIn(client, "alice", "guess").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 4)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 16)
        }
    }

    @Test func theSignInFormAndFeedReadersAreThrottledToo() async throws {
        try await withApp(configure: Self.policy(TestClock())) { client in
            try await client.signUp("alice")
            let basic = "Basic " + Data("alice:guess".utf8).base64EncodedString()
            for _ in 0..<4 {
                #expect(try await client.send(.get, "/api/me/stream.atom", headers: [.authorization: basic]).status == .unauthorized)
            }
            let form = try await client.postSignInForm("handle=alice&password=correct+horse")
            #expect(form.status == .tooManyRequests)
            #expect(form.headers[.retryAfter] == "1")
            #expect(form.headers[.setCookie]?.contains("ferry_session") != true)
            #expect(String(buffer: form.body).contains("Too many failed sign-ins"))
        }
    }

    /// Desktop editors sign in on every call: their guesses count with every other sign-in.
    @Test func desktopEditorsAreThrottledToo() async throws {
        try await withApp(configure: Self.policy(TestClock())) { client in
            try await client.signUp("alice")
            let call =
                #"<methodCall><methodName>blogger.getUsersBlogs</methodName><params><param><value>k</value></param><param><value>alice</value></param><param><value>guess</value></param></params></methodCall>"#
            for _ in 0..<4 {
                let fault = try await client.executeRequest(uri: "/xmlrpc", method: .post, headers: [.contentType: "text/xml"], body: ByteBuffer(string: call))
                #expect(String(buffer: fault.body).contains("the handle or the password is wrong"))
            }
            let right = call.replacingOccurrences(of: "<value>guess</value>", with: "<value>correct horse</value>")
            let refused = try await client.executeRequest(uri: "/xmlrpc", method: .post, headers: [.contentType: "text/xml"], body: ByteBuffer(string: right))
            #expect(String(buffer: refused.body).contains("<int>403</int>") && String(buffer: refused.body).contains("too many failed sign-ins"))
            let basic = "Basic " + Data("alice:correct horse".utf8).base64EncodedString()
            let atomPub = try await client.send(.get, "/atompub/nowhere", headers: [.authorization: basic])
            #expect(atomPub.status == .tooManyRequests)
            #expect(atomPub.headers[.retryAfter] == "1")
        }
    }

    @Test func waitsDoubleUpToTheLongestAndStaleHandlesAreForgotten() async throws {
        var policy = SignInThrottle.Policy()
        policy.freeFailures = 1
        policy.longestDelay = .seconds(5)
        policy.handlesKept = 4
        let throttle = try await withTemporaryDirectory { SignInThrottle(policy: policy, shared: try AppDatabase.open(directory: $0)) }
        var now = ContinuousClock.now
        var waits: [Int] = []
        try throttle.beginHere("alice", at: now)
        for _ in 0..<6 {
            // This attempt is let in, and makes the next one wait.
            try throttle.beginHere("alice", at: now)
            do {
                try throttle.beginHere("alice", at: now)
                Issue.record("a waiting handle was let in")
            } catch {
                waits.append(Int(error.headers[.retryAfter] ?? "") ?? -1)
            }
            now += .seconds(waits.last ?? 0)
        }
        #expect(waits == [1, 2, 4, 5, 5, 5])
        // More handles than are kept: the stalest are forgotten, so "alice" may try again.
        for handle in ["b", "c", "d", "e"] {
            try throttle.beginHere(handle, at: now + .seconds(1))
            try throttle.beginHere(handle, at: now + .seconds(1))
        }
        #expect(throws: Never.self) { try throttle.beginHere("alice", at: now + .seconds(2)) }
    }
}

/// Password checks are rationed per client address too, and a feed reader's Basic pair is
/// recognised for a while without bcrypt.
@Suite struct PasswordRationTests {
    @Test func rotatingMadeUpHandlesFromOneAddressIsThrottledToo() async throws {
        let clock = TestClock()
        try await withApp(configure: { configuration in
            configuration.clientSignInThrottle.freeFailures = 3
            configuration.clientSignInThrottle.now = { clock.now() }
            configuration.clientSignInThrottle.date = { clock.date() }
        }) { client in
            try await client.signUp("alice")
            func signIn(_ handle: String, _ password: String, from address: String) async throws -> TestResponse {
                try await client.send(
                    .post, "/api/sessions", json: #"{"handle":"\#(handle)","password":"\#(password)"}"#, headers: [.xForwardedFor: "10.9.9.9, \(address)"]
                )
            }
            // Signing in to one's own account does not buy guesses at others'.
            #expect(try await signIn("alice", "correct horse", from: "203.0.113.5").status == .ok)
            for number in 0..<4 { #expect(try await signIn("nobody\(number)", "guess", from: "203.0.113.5").status == .unauthorized) }
            let refused = try await signIn("nobody9", "guess", from: "203.0.113.5")
            #expect(refused.status == .tooManyRequests)
            #expect(try refused.json()["detail"] as? String == "too many failed sign-ins with this address; try again in 1 seconds")
            #expect(try await signIn("alice", "correct horse", from: "203.0.113.5").status == .tooManyRequests, "refused before bcrypt")
            #expect(try await signIn("alice", "correct horse", from: "198.51.100.7").status == .ok, "other addresses are not held up")
            clock.advance(by: .seconds(2))
            #expect(try await signIn("alice", "correct horse", from: "203.0.113.5").status == .ok)
            // Basic on feeds counts the same way.
            let basic = "Basic " + Data("ghost:guess".utf8).base64EncodedString()
            let feed = try await client.send(.get, "/api/me/stream.atom", headers: [.authorization: basic, .xForwardedFor: "203.0.113.5"])
            #expect(feed.status == .tooManyRequests)
        }
    }

    @Test func aVerifiedPairIsRecognisedUntilItExpiresOrThePasswordChanges() {
        let clock = TestClock()
        let verified = VerifiedCredentials(lifetime: .seconds(60), capacity: 4, now: { clock.now() })
        let alice = Credentials(identityID: IdentityID(1), passwordHash: "$2b$04$first")
        #expect(!verified.recognises(handle: "alice", password: "correct horse", as: alice))
        verified.remember(handle: "alice", password: "correct horse", as: alice)
        #expect(verified.recognises(handle: "ALICE", password: "correct horse", as: alice))
        #expect(!verified.recognises(handle: "alice", password: "correct horsE", as: alice))
        #expect(!verified.recognises(handle: "alice", password: "correct horse", as: Credentials(identityID: IdentityID(1), passwordHash: "$2b$04$other")))
        verified.remember(handle: "alice", password: "correct horse", as: alice)
        clock.advance(by: .seconds(61))
        #expect(!verified.recognises(handle: "alice", password: "correct horse", as: alice))
        for number in 0..<10 {
            clock.advance(by: .seconds(1))
            verified.remember(handle: "user\(number)", password: "p", as: Credentials(identityID: IdentityID(Int64(number)), passwordHash: "h"))
        }
        #expect(verified.recognises(handle: "user9", password: "p", as: Credentials(identityID: IdentityID(9), passwordHash: "h")))
        #expect(!verified.recognises(handle: "user0", password: "p", as: Credentials(identityID: IdentityID(0), passwordHash: "h")), "bounded")
    }
}

/// Two servers on one database: guesses spread over them are counted together.
@Suite struct SharedSignInThrottleTests {
    @Test func failuresOnOneServerHoldTheHandleBackOnTheOther() async throws {
        let clock = TestClock()
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder, configure: SignInThrottleTests.policy(clock)) { first in
                try await first.signUp("alice")
                try await withApp(data: folder, configure: SignInThrottleTests.policy(clock)) { second in
                    for _ in 0..<4 { #expect(try await SignInThrottleTests.signIn(first, "alice", "guess").status == .unauthorized) }
                    let refused = try await SignInThrottleTests.signIn(second, "alice", "correct horse")
                    #expect(refused.status == .tooManyRequests, "the other server knows of the failures")
                    #expect(refused.headers[.retryAfter] == "1")
                    clock.advance(by: .milliseconds(1_001))
                    #expect(try await SignInThrottleTests.signIn(second, "alice", "correct horse").status == .ok)
                    #expect(try await SignInThrottleTests.signIn(second, "alice", "guess").status == .unauthorized, "a success forgets them everywhere")
                }
            }
        }
    }
}
