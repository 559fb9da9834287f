import FerryCore
import FerrySeed
import FerryStore
import FerryTestSupport
import Foundation
import Testing

@Suite struct ContactTests {
    struct People {
        let database: any Store
        let alice: Identity
        let bob: Identity
        let carol: Identity
    }

    /// Alice, Bob and Carol on `backend`.
    func withPeople(on backend: StoreBackend, _ body: (People) async throws -> Void) async throws {
        try await backend.withStore { database in
            let make = { (handle: String) in
                try await database.createIdentity(handle: Handle(trusted: handle), displayName: handle.capitalized, passwordHash: "h")
            }
            try await body(People(database: database, alice: make("alice"), bob: make("bob"), carol: make("carol")))
        }
    }

    func states(_ people: People, of identity: Identity) async throws -> [String: ContactState] {
        let page = try await people.database.contacts(of: identity.id, limit: 100)
        return Dictionary(uniqueKeysWithValues: page.entries.map { ($0.handle.rawValue, $0.state) })
    }

    @Test(arguments: StoreBackend.available)
    func invitationThenAcceptanceIsSeenOnBothSides(_ backend: StoreBackend) async throws {
        try await withPeople(on: backend) { people in
            let sent = try await people.database.invite(from: people.alice.id, to: people.bob.handle)
            #expect(sent.state == .outgoing && sent.handle == people.bob.handle && sent.displayName == "Bob")
            #expect(try await states(people, of: people.alice) == ["bob": .outgoing])
            #expect(try await states(people, of: people.bob) == ["alice": .incoming])

            let accepted = try await people.database.acceptInvitation(of: people.bob.id, from: people.alice.handle)
            #expect(accepted.state == .accepted && accepted.handle == people.alice.handle)
            #expect(try await states(people, of: people.alice) == ["bob": .accepted])
            #expect(try await states(people, of: people.bob) == ["alice": .accepted])
            #expect(try await states(people, of: people.carol) == [:])
        }
    }

    @Test(arguments: StoreBackend.available)
    func removingFromEitherSideRemovesBoth(_ backend: StoreBackend) async throws {
        try await withPeople(on: backend) { people in
            _ = try await people.database.invite(from: people.alice.id, to: people.bob.handle)
            _ = try await people.database.acceptInvitation(of: people.bob.id, from: people.alice.handle)
            try await people.database.removeContact(of: people.bob.id, handle: people.alice.handle)
            #expect(try await states(people, of: people.alice) == [:])
            #expect(try await states(people, of: people.bob) == [:])

            // Declining an invitation is the same removal, from the invitee's side.
            _ = try await people.database.invite(from: people.carol.id, to: people.alice.handle)
            try await people.database.removeContact(of: people.alice.id, handle: people.carol.handle)
            #expect(try await states(people, of: people.carol) == [:])
            await #expect(throws: FerryError.self) {
                try await people.database.removeContact(of: people.alice.id, handle: people.carol.handle)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func refusedInvitationsSayWhyAndChangeNothing(_ backend: StoreBackend) async throws {
        try await withPeople(on: backend) { people in
            let db = people.database
            await #expect(throws: FerryError.invalid("handle", "you cannot invite yourself")) {
                try await db.invite(from: people.alice.id, to: people.alice.handle)
            }
            await #expect(throws: FerryError(.notFound, "there is no identity with the handle 'nobody'", field: "handle")) {
                try await db.invite(from: people.alice.id, to: Handle(trusted: "nobody"))
            }
            _ = try await db.invite(from: people.alice.id, to: people.bob.handle)
            await #expect(throws: FerryError(.conflict, "you have already invited 'bob'", field: "handle")) {
                try await db.invite(from: people.alice.id, to: people.bob.handle)
            }
            await #expect(throws: FerryError(.conflict, "'alice' has already invited you; accept their invitation instead", field: "handle")) {
                try await db.invite(from: people.bob.id, to: people.alice.handle)
            }
            await #expect(throws: FerryError(.conflict, "you invited 'bob'; only they can accept")) {
                try await db.acceptInvitation(of: people.alice.id, from: people.bob.handle)
            }
            await #expect(throws: FerryError(.notFound, "there is no invitation from 'carol'")) {
                try await db.acceptInvitation(of: people.alice.id, from: people.carol.handle)
            }
            _ = try await db.acceptInvitation(of: people.bob.id, from: people.alice.handle)
            await #expect(throws: FerryError(.conflict, "'alice' is already your contact")) {
                try await db.acceptInvitation(of: people.bob.id, from: people.alice.handle)
            }
            await #expect(throws: FerryError(.conflict, "'bob' is already your contact", field: "handle")) {
                try await db.invite(from: people.alice.id, to: people.bob.handle)
            }
            #expect(try await states(people, of: people.alice) == ["bob": .accepted])
            #expect(try await states(people, of: people.bob) == ["alice": .accepted])
        }
    }

    /// Two nodes at once: Alice invites Bob while Bob invites Alice. One invitation stands,
    /// the other is refused for it, and both sides agree.
    @Test(arguments: StoreBackend.available)
    func crossingInvitationsOnTwoNodesLeaveOneInvitation(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            let alice = try await nodes[0].createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h")
            let bob = try await nodes[0].createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "h")
            async let fromAlice = (try? await nodes[0].invite(from: alice.id, to: bob.handle)) != nil
            async let fromBob = (try? await nodes[1].invite(from: bob.id, to: alice.handle)) != nil
            #expect(await [fromAlice, fromBob].filter { $0 }.count == 1)
            let aliceSees = try await nodes[1].contacts(of: alice.id, limit: 10).entries.map(\.state)
            let bobSees = try await nodes[0].contacts(of: bob.id, limit: 10).entries.map(\.state)
            #expect(Set([aliceSees, bobSees]) == [[.outgoing], [.incoming]])
        }
    }

    @Test(arguments: StoreBackend.available)
    func listsPageInHandleOrderAndFilterByState(_ backend: StoreBackend) async throws {
        try await backend.withSeededStore { seeder, database in
            let summary = try await seeder.seed(identities: 30, contactsEach: 10, passwordHash: "h")
            #expect(summary.contactsEach == 10)
            let first = try #require(try await database.identity(handle: Seeder.handle(0)))

            var seen: [String] = []
            var cursor: Handle?
            repeat {
                let page = try await database.contacts(of: first.id, state: nil, after: cursor, limit: 3)
                #expect(page.entries.count <= 3)
                seen += page.entries.map(\.handle.rawValue)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == seen.sorted())
            #expect(seen.count == 10)
            #expect(Set(seen).count == 10)

            let outsider = try await database.createIdentity(handle: Handle(trusted: "zed"), displayName: "Zed", passwordHash: "h")
            _ = try await database.invite(from: outsider.id, to: first.handle)
            let incoming = try await database.contacts(of: first.id, state: .incoming, limit: 50)
            #expect(incoming.entries.map(\.handle.rawValue) == ["zed"])
            #expect(incoming.nextCursor == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func seedingTwiceAddsNewHandles(_ backend: StoreBackend) async throws {
        try await backend.withSeededStore { seeder, _ in
            _ = try await seeder.seed(identities: 5, contactsEach: 2, passwordHash: "h")
            let second = try await seeder.seed(identities: 5, contactsEach: 2, passwordHash: "h")
            #expect(second.firstHandle == Seeder.handle(5))
            #expect(try await seeder.identityCount() == 10)
        }
    }
}
