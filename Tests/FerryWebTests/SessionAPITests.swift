import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct SessionAPITests {
    @Test func signInGivesATokenThatExpiresInThirtyDays() async throws {
        try await withApp { client in
            try await client.signUp("alice")
            let response = try await client.send(.post, "/api/sessions", json: #"{"handle":"ALICE","password":"correct horse"}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let body = try response.json()
            let token = try #require(body["token"] as? String)
            #expect(token.count == 43)
            let expiresAt = try #require((body["expiresAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(abs(expiresAt.timeIntervalSinceNow - 30 * 24 * 3600) < 120)
            #expect(try await client.send(.get, "/api/me", token: token).status == .ok)
        }
    }

    @Test func wrongHandleAndWrongPasswordGetTheSameAnswer() async throws {
        try await withApp { client in
            try await client.signUp("alice")
            let wrongPassword = try await client.send(.post, "/api/sessions", json: #"{"handle":"alice","password":"incorrect horse"}"#)
            let wrongHandle = try await client.send(.post, "/api/sessions", json: #"{"handle":"alicia","password":"correct horse"}"#)
            let invalidHandle = try await client.send(.post, "/api/sessions", json: #"{"handle":"!","password":"correct horse"}"#)
            for response in [wrongPassword, wrongHandle, invalidHandle] {
                #expect(response.status == .unauthorized)
                #expect(response.text == wrongPassword.text)
            }
        }
    }

    @Test func signingOutRevokesOnlyThatToken() async throws {
        try await withApp { client in
            try await client.signUp("alice")
            let phone = try await client.signIn("alice")
            let laptop = try await client.signIn("alice")
            let bob = try await client.newIdentity("bob")
            #expect(try await client.send(.delete, "/api/sessions/current", token: phone).status == .noContent)
            #expect(try await client.send(.get, "/api/me", token: bob).status == .ok)
            #expect(try await client.send(.get, "/api/me", token: phone).status == .unauthorized)
            #expect(try await client.send(.delete, "/api/sessions/current", token: phone).status == .unauthorized)
            #expect(try await client.send(.get, "/api/me", token: laptop).status == .ok)
        }
    }

    @Test(arguments: [nil, "Bearer", "Bearer ", "Basic YWxpY2U6Y29ycmVjdCBob3JzZQ==", "Bearer not-a-token", "Bearer " + String(repeating: "a", count: 10_000)])
    func everyMeRouteNeedsALiveBearerToken(_ authorization: String?) async throws {
        try await withApp { client in
            _ = try await client.newIdentity("alice")
            try await client.signUp("bob")
            var headers: HTTPFields = [:]
            if let authorization { headers[.authorization] = authorization }
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/me", nil), (.patch, "/api/me", #"{"bio":"x"}"#),
                (.get, "/api/me/contacts", nil), (.post, "/api/me/contacts", #"{"handle":"bob"}"#),
                (.post, "/api/me/contacts/bob/accept", nil), (.delete, "/api/me/contacts/bob", nil),
                (.delete, "/api/sessions/current", nil),
            ]
            for (method, uri, json) in routes {
                let response = try await client.send(method, uri, json: json, headers: headers)
                #expect(response.status == .unauthorized, "\(method) \(uri)")
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="ferry""#)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }
}
