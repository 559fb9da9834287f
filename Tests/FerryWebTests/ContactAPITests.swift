import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct ContactAPITests {
    func states(_ client: some TestClientProtocol, _ token: String) async throws -> [String: String] {
        let contacts = try await client.send(.get, "/api/me/contacts", token: token).json()["contacts"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: contacts.compactMap { entry in
                (entry["handle"] as? String).flatMap { handle in (entry["state"] as? String).map { (handle, $0) } }
            })
    }

    @Test func inviteAcceptAndRemoveAreSeenOnBothSides() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice")
            let bob = try await client.newIdentity("bob", displayName: "Bob")
            _ = try await client.send(.patch, "/api/me", token: bob, json: #"{"photoURL":"https://photos.example/bob.jpg"}"#)

            let invited = try await client.send(.post, "/api/me/contacts", token: alice, json: #"{"handle":"Bob"}"#)
            #expect(invited.status == .created)
            let entry = try invited.json()
            #expect(entry["handle"] as? String == "bob")
            #expect(entry["displayName"] as? String == "Bob")
            #expect(entry["photoURL"] as? String == "https://photos.example/bob.jpg")
            #expect(entry["state"] as? String == "outgoing")
            #expect(try await states(client, alice) == ["bob": "outgoing"])
            #expect(try await states(client, bob) == ["alice": "incoming"])

            let accepted = try await client.send(.post, "/api/me/contacts/alice/accept", token: bob)
            #expect(accepted.status == .ok)
            #expect(try accepted.json()["state"] as? String == "accepted")
            #expect(try await states(client, alice) == ["bob": "accepted"])
            #expect(try await states(client, bob) == ["alice": "accepted"])

            #expect(try await client.send(.delete, "/api/me/contacts/bob", token: alice).status == .noContent)
            #expect(try await states(client, alice) == [:])
            #expect(try await states(client, bob) == [:])
        }
    }

    @Test func eachRefusalIsAClearProblem() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            let cases: [(String, HTTPRequest.Method, String, String?, HTTPResponse.Status)] = [
                (alice, .post, "/api/me/contacts", #"{"handle":"alice"}"#, .unprocessableContent),
                (alice, .post, "/api/me/contacts", #"{"handle":"nobody"}"#, .notFound),
                (alice, .post, "/api/me/contacts", #"{"handle":"no way"}"#, .unprocessableContent),
                (alice, .post, "/api/me/contacts", #"{}"#, .unprocessableContent),
                (alice, .post, "/api/me/contacts", #"{"handle":"bob"}"#, .created),
                (alice, .post, "/api/me/contacts", #"{"handle":"bob"}"#, .conflict),
                (bob, .post, "/api/me/contacts", #"{"handle":"alice"}"#, .conflict),
                (alice, .post, "/api/me/contacts/bob/accept", nil, .conflict),
                (bob, .post, "/api/me/contacts/nobody/accept", nil, .notFound),
                (bob, .delete, "/api/me/contacts/nobody", nil, .notFound),
                (alice, .get, "/api/me/contacts?limit=0", nil, .unprocessableContent),
                (alice, .get, "/api/me/contacts?limit=201", nil, .unprocessableContent),
                (alice, .get, "/api/me/contacts?limit=ten", nil, .unprocessableContent),
                (alice, .get, "/api/me/contacts?state=friends", nil, .unprocessableContent),
                (bob, .post, "/api/me/contacts/alice/accept", nil, .ok),
                (bob, .post, "/api/me/contacts/alice/accept", nil, .conflict),
                (alice, .post, "/api/me/contacts", #"{"handle":"bob"}"#, .conflict),
            ]
            for (token, method, uri, json, status) in cases {
                let response = try await client.send(method, uri, token: token, json: json)
                #expect(response.status == status, "\(method) \(uri) \(json ?? "")")
                if status.code >= 400 {
                    #expect((try response.json()["detail"] as? String)?.isEmpty == false)
                }
            }
        }
    }

    @Test func nobodyCanAnswerOrRemoveAnotherPairsInvitation() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            let carol = try await client.newIdentity("carol")
            _ = try await client.send(.post, "/api/me/contacts", token: alice, json: #"{"handle":"bob"}"#)
            #expect(try await client.send(.post, "/api/me/contacts/alice/accept", token: carol).status == .notFound)
            #expect(try await client.send(.delete, "/api/me/contacts/alice", token: carol).status == .notFound)
            #expect(try await client.send(.delete, "/api/me/contacts/bob", token: carol).status == .notFound)
            #expect(try await states(client, bob) == ["alice": "incoming"])
            #expect(try await states(client, carol) == [:])
        }
    }

    @Test func theListPagesInHandleOrderAndFiltersByState() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            for handle in ["erin", "bob", "dave", "carol", "frank"] {
                let token = try await client.newIdentity(handle)
                _ = try await client.send(.post, "/api/me/contacts", token: token, json: #"{"handle":"alice"}"#)
            }
            _ = try await client.send(.post, "/api/me/contacts/dave/accept", token: alice)

            var handles: [String] = []
            var uri = "/api/me/contacts?limit=2"
            while true {
                let page = try await client.send(.get, uri, token: alice).json()
                let contacts = try #require(page["contacts"] as? [[String: Any]])
                #expect(contacts.count <= 2)
                handles += contacts.compactMap { $0["handle"] as? String }
                guard let cursor = page["nextCursor"] as? String else { break }
                uri = "/api/me/contacts?limit=2&after=\(cursor)"
            }
            #expect(handles == ["bob", "carol", "dave", "erin", "frank"])

            let accepted = try await client.send(.get, "/api/me/contacts?state=accepted", token: alice).json()
            #expect((accepted["contacts"] as? [[String: Any]])?.compactMap { $0["handle"] as? String } == ["dave"])
            #expect(accepted["nextCursor"] is NSNull)
        }
    }
}
