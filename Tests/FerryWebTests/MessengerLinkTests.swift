import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct MessengerLinkTests {
    @Test func theOwnerLinksWithTheirPasswordAndTheIdentityIsUntouched() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"bio":"Moving house","photoURL":"https://photos.example/alice.jpg"}"#)
            try await client.createBlog("travels", token: alice)
            let profile = try await client.send(.get, "/api/me", token: alice).text
            let contacts = try await client.send(.get, "/api/me/contacts", token: alice).text
            #expect(try await client.send(.get, "/api/blogs/travels").json()["linked"] as? Bool == false)

            let linked = try await client.send(.put, "/api/blogs/travels/messenger-link", token: alice, json: #"{"password":"correct horse"}"#)
            #expect(linked.status == .ok)
            #expect(try linked.json()["linked"] as? Bool == true)
            #expect(try await client.send(.get, "/api/blogs/travels").json()["linked"] as? Bool == true)
            let again = try await client.send(.put, "/api/blogs/travels/messenger-link", token: alice, json: #"{"password":"correct horse"}"#)
            #expect(try again.json()["linkedAt"] as? String == linked.json()["linkedAt"] as? String, "linking twice changes nothing")
            #expect(try await client.send(.get, "/api/me", token: alice).text == profile)
            #expect(try await client.send(.get, "/api/me/contacts", token: alice).text == contacts)

            let unlinked = try await client.send(.delete, "/api/blogs/travels/messenger-link", token: alice)
            #expect(unlinked.status == .ok)
            #expect(try unlinked.json()["linked"] as? Bool == false)
            #expect(try await client.send(.get, "/api/blogs/travels").json()["linked"] as? Bool == false)
            #expect(try await client.send(.get, "/api/me", token: alice).text == profile)
            #expect(try await client.send(.get, "/api/me/contacts", token: alice).text == contacts)
        }
    }

    @Test func aWrongPasswordOrSomeoneElseChangesNothing() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let mallory = try await client.newIdentity("mallory")
            try await client.createBlog("travels", token: alice)
            try await client.createBlog("diary", token: alice, visibility: "private")

            let wrong = try await client.send(.put, "/api/blogs/travels/messenger-link", token: alice, json: #"{"password":"wrong horse"}"#)
            #expect(wrong.status == .forbidden)
            #expect(wrong.headers[.contentType] == "application/problem+json")
            #expect(try wrong.problemField() == "password")
            #expect(try await client.send(.get, "/api/blogs/travels").json()["linked"] as? Bool == false)

            // Mallory's own, correct password does not link Alice's blog.
            let own = #"{"password":"correct horse"}"#
            #expect(try await client.send(.put, "/api/blogs/travels/messenger-link", token: mallory, json: own).status == .forbidden)
            #expect(try await client.send(.put, "/api/blogs/diary/messenger-link", token: mallory, json: own).status == .notFound)
            #expect(try await client.send(.put, "/api/blogs/nowhere/messenger-link", token: mallory, json: own).status == .notFound)
            #expect(try await client.send(.put, "/api/blogs/travels/messenger-link", json: own).status == .unauthorized)
            let missing = try await client.send(.put, "/api/blogs/travels/messenger-link", token: alice, json: "{}")
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.problemField() == "password")

            _ = try await client.send(.put, "/api/blogs/travels/messenger-link", token: alice, json: own)
            #expect(try await client.send(.delete, "/api/blogs/travels/messenger-link", token: mallory).status == .forbidden)
            #expect(try await client.send(.delete, "/api/blogs/travels/messenger-link").status == .unauthorized)
            #expect(try await client.send(.get, "/api/blogs/travels").json()["linked"] as? Bool == true)
        }
    }
}
