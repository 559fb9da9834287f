import FerryCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `/signup`: a newcomer makes an identity in the browser and is signed in, by the API's rules.
struct SignUpPageTests {
    /// Sends the sign-up form as a browser does: fetched first, with its token and cookie.
    private func postSignUp(_ client: some TestClientProtocol, _ form: String, withToken: Bool = true) async throws -> TestResponse {
        let page = try await client.send(.get, "/signup")
        let cookie = try #require(page.headers[.setCookie].map { String($0.prefix { $0 != ";" }) })
        let token = try #require(page.text.components(separatedBy: #"name="csrf" value=""#).dropFirst().first?.prefix { $0 != "\"" })
        let body = form + (withToken ? "&csrf=\(token)" : "")
        return try await client.executeRequest(
            uri: "/signup", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
            body: ByteBuffer(string: body)
        )
    }

    @Test func theFormHasALabelForEveryFieldAndNamesThemAsTheAPIDoes() async throws {
        try await withApp { client in
            let page = try await client.send(.get, "/signup")
            #expect(page.status == .ok)
            for field in ["handle", "password", "displayName"] {
                #expect(page.text.contains(#"<label for="\#(field)">"#) && page.text.contains(#"name="\#(field)""#), "\(field)")
            }
            #expect(page.text.contains(#"<html lang="en""#))
        }
    }

    @Test func aNewcomerJoinsAndIsSignedIn() async throws {
        try await withApp { client in
            let joined = try await postSignUp(client, "handle=ada&password=correct+horse&displayName=Ada+Lovelace")
            #expect(joined.status == .seeOther)
            #expect(joined.headers[.location] == "/people/ada")
            let session = try #require(joined.headers[.setCookie].map { String($0.prefix { $0 != ";" }) })
            #expect(session.hasPrefix("ferry_session="))
            let stream = try await client.send(.get, "/stream", headers: [.cookie: session])
            #expect(stream.status == .ok, "signed in at once")
            #expect(try await client.signIn("ada").isEmpty == false, "and the password is the one chosen")
        }
    }

    @Test func aWrongFieldIsNamedBesideItAndNothingIsCreated() async throws {
        try await withApp { client in
            let weak = try await postSignUp(client, "handle=ada&password=short&displayName=Ada")
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains(#"id="password-error""#) && weak.text.contains(#"aria-describedby="password-error""#))
            #expect(weak.text.contains(#"value="ada""#), "what was typed stays")
            #expect(!weak.text.contains("short"), "but never the password")
            #expect(try await client.send(.post, "/api/sessions", json: #"{"handle":"ada","password":"short"}"#).status == .unauthorized)

            let badHandle = try await postSignUp(client, "handle=A+B&password=correct+horse&displayName=Ada")
            #expect(badHandle.status == .unprocessableContent && badHandle.text.contains(#"id="handle-error""#))

            try await client.signUp("bob")
            let taken = try await postSignUp(client, "handle=bob&password=correct+horse&displayName=Another+Bob")
            #expect(taken.status == .conflict && taken.text.contains(#"id="handle-error""#))

            let forged = try await postSignUp(client, "handle=eve&password=correct+horse&displayName=Eve", withToken: false)
            #expect(forged.status == .forbidden)
            #expect(try await client.send(.post, "/api/sessions", json: #"{"handle":"eve","password":"correct horse"}"#).status == .unauthorized)
        }
    }
}
