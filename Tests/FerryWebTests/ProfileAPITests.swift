import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct ProfileAPITests {
    @Test func patchChangesOnlyTheFieldsSent() async throws {
        try await withApp { client in
            let token = try await client.newIdentity("alice", displayName: "Alice")
            let photo = "https://photos.example/Alice%20L.JPG?size=large&v=2#crop"
            let patched = try await client.send(
                .patch, "/api/me", token: token, json: #"{"bio":"Down the rabbit hole","photoURL":"\#(photo)","website":"https://alice.example"}"#)
            #expect(patched.status == .ok)
            let shown = try await client.send(.get, "/api/me", token: token).json()
            #expect(shown["displayName"] as? String == "Alice")
            #expect(shown["bio"] as? String == "Down the rabbit hole")
            #expect(shown["photoURL"] as? String == photo)
            #expect(shown["website"] as? String == "https://alice.example")

            let cleared = try await client.send(.patch, "/api/me", token: token, json: #"{"bio":null,"website":"","location":"Oxford"}"#).json()
            #expect(cleared["bio"] is NSNull)
            #expect(cleared["website"] is NSNull)
            #expect(cleared["location"] as? String == "Oxford")
            #expect(cleared["photoURL"] as? String == photo)
        }
    }

    @Test func thePhotoReferenceComesBackByteForByte() async throws {
        try await withApp { client in
            let token = try await client.newIdentity("alice")
            let photo = #"HTTP://Photos.Example:8080/a/./b/../%7Euser/p%C3%A9.png?a=1&b=%2F\u0026"#
            _ = try await client.send(.patch, "/api/me", token: token, json: #"{"photoURL":"\#(photo)"}"#)
            let raw = try await client.send(.get, "/api/me", token: token).text
            let expected = "HTTP://Photos.Example:8080/a/./b/../%7Euser/p%C3%A9.png?a=1&b=%2F&"
            #expect(raw.contains(#""photoURL":"\#(expected)""#))
        }
    }

    @Test(arguments: [
        (#"{"photoUrl":"https://x.example/p.jpg"}"#, "photoUrl"),
        (#"{"photoURL":"javascript:alert(1)"}"#, "photoURL"),
        (#"{"photoURL":"//x.example/p.jpg"}"#, "photoURL"),
        (#"{"website":"mailto:a@b.c"}"#, "website"),
        (#"{"displayName":null}"#, "displayName"),
        (#"{"displayName":""}"#, "displayName"),
        (#"{"bio":7}"#, "bio"),
        (#"{"location":"a\nb"}"#, "location"),
    ])
    func refusesBadFieldsAndKeepsTheProfile(_ json: String, _ field: String) async throws {
        try await withApp { client in
            let token = try await client.newIdentity("alice", displayName: "Alice")
            _ = try await client.send(.patch, "/api/me", token: token, json: #"{"bio":"before"}"#)
            let before = try await client.send(.get, "/api/me", token: token).text
            let response = try await client.send(.patch, "/api/me", token: token, json: json)
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemField() == field)
            #expect(try await client.send(.get, "/api/me", token: token).text == before)
        }
    }

    @Test func anIdentityOnlyEverChangesItself() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice", displayName: "Alice")
            let bob = try await client.newIdentity("bob", displayName: "Bob")
            let bobBefore = try await client.send(.get, "/api/me", token: bob).text
            _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"displayName":"Mallory","bio":"mine"}"#)
            #expect(try await client.send(.get, "/api/me", token: bob).text == bobBefore)
            #expect(try await client.send(.get, "/api/me", token: alice).json()["displayName"] as? String == "Mallory")
        }
    }
}
