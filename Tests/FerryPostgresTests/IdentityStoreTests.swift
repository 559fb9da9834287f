import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// Identities, sessions and the installation's fixed settings behave alike on every backend,
/// and every node of one database agrees on them.
@Suite struct IdentityStoreTests {
    let created = Date(timeIntervalSince1970: 1_780_000_000)

    @Test(arguments: StoreBackend.available)
    func anIdentityIsFoundByIdAndHandleAndItsHandleIsTakenInEveryCase(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createIdentity(
                handle: Handle(validating: "alice"), displayName: "Alice", passwordHash: "hash-a", at: created)
            #expect(alice.createdAt == created)
            #expect(try await store.identity(alice.id) == alice)
            #expect(try await store.identity(handle: Handle(validating: "ALICE")) == alice)
            #expect(try await store.credentials(handle: Handle(validating: "alice"))?.passwordHash == "hash-a")
            #expect(try await store.credentials(handle: Handle(validating: "bob")) == nil)
            await #expect(throws: FerryError(.conflict, "the handle 'alice' is already taken", field: "handle")) {
                try await store.createIdentity(handle: Handle(validating: "Alice"), displayName: "Other", passwordHash: "x", at: created)
            }
            #expect(try await store.identityCount() == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aProfileUpdateChangesOnlyWhatItNames(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createIdentity(handle: Handle(validating: "alice"), displayName: "Alice", passwordHash: "h", at: created)
            let photo = "https://old.example/ph%6Fto.JPG?size=large#x"
            let updated = try await store.updateProfile(
                of: alice.id, with: ProfileUpdate(bio: .set("Writes"), photoURL: .set(photo)), at: created.addingTimeInterval(60))
            #expect(updated.profile == Profile(displayName: "Alice", bio: "Writes", photoURL: photo))
            let renamed = try await store.updateProfile(
                of: alice.id, with: ProfileUpdate(displayName: "Alice B.", bio: .clear), at: created.addingTimeInterval(120))
            #expect(renamed.profile == Profile(displayName: "Alice B.", photoURL: photo))
            #expect(try await store.identity(alice.id) == renamed)
            await #expect(throws: FerryError(.notFound, "no such identity")) {
                try await store.updateProfile(of: IdentityID(999), with: ProfileUpdate(bio: .set("x")), at: created)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func aSessionOpenedOnOneNodeSignsInOnEveryOtherUntilItExpires(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            let alice = try await nodes[0].createIdentity(handle: Handle(validating: "alice"), displayName: "Alice", passwordHash: "h", at: created)
            let token = SessionToken.generate()
            let expires = created.addingTimeInterval(3600)
            try await nodes[0].openSession(for: alice.id, token: token, expiresAt: expires, at: created)
            #expect(try await nodes[1].identityID(signedInBy: token, at: created.addingTimeInterval(10)) == alice.id)
            #expect(try await nodes[1].identityID(signedInBy: token, at: expires) == nil)
            #expect(try await nodes[1].identityID(signedInBy: SessionToken.generate(), at: created) == nil)

            // A new session forgets the identity's expired ones; closing is seen everywhere.
            let later = SessionToken.generate()
            try await nodes[1].openSession(for: alice.id, token: later, expiresAt: expires.addingTimeInterval(3600), at: expires)
            #expect(try await nodes[0].closeSession(token) == false)
            #expect(try await nodes[0].closeSession(later) == true)
            #expect(try await nodes[1].identityID(signedInBy: later, at: expires) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func everyNodeKeepsTheFirstValueOfAFixedSettingAndTheSameCursorKey(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            #expect(try await nodes[0].fixedSetting("id-authority", initial: "blogs.example") == "blogs.example")
            #expect(try await nodes[1].fixedSetting("id-authority", initial: "other.example") == "blogs.example")
            let viewer = IdentityID(3)
            let cursor = try await nodes[0].streamCursors().cursor(after: ActivityID(41), for: viewer)
            #expect(try await nodes[1].streamCursors().activityID(in: cursor, for: viewer) == ActivityID(41))
            #expect(try await nodes[1].streamCursors().activityID(in: cursor, for: IdentityID(4)) == nil)
        }
    }
}
