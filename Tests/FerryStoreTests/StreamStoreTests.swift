import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

@Suite struct StreamStoreTests {
    /// The benchmark's generated world, small: every page of every kind of viewer's stream holds
    /// exactly the activities of their accepted contacts, newest first, however the windows fall.
    @Test func pagesOfAGeneratedWorldHoldExactlyTheContactsActivities() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
            let world = try await database.seedStreamWorld(identities: 600, activities: 6_000, passwordHash: "x")
            #expect(world.contactRows > 0 && world.contactRows % 2 == 0)
            await #expect(throws: FerryError.self) { try await database.seedStreamWorld(identities: 1, activities: 1, passwordHash: "x") }

            let few = try #require(try await database.identities(withContacts: 2...5, limit: 1).first)
            let many = try #require(try await database.identities(withContacts: 40...200, limit: 1).first)
            for viewer in [few, many] {
                let identity = try #require(try await database.identity(handle: viewer.handle))
                let contacts = try await database.contacts(of: identity.id, state: .accepted, limit: 200).entries
                #expect(contacts.count == viewer.contacts)
                var expected: [ActivityID] = []
                for contact in contacts {
                    let other = try #require(try await database.identity(handle: contact.handle))
                    expected += try await database.activities(by: other.id, limit: 10_000).map(\.id)
                }
                expected.sort(by: >)

                var paged: [StreamItem] = []
                var before: ActivityID?
                repeat {
                    let page = try await database.stream(of: identity.id, before: before, limit: 7)
                    paged += page
                    before = page.count == 7 ? page.last?.activity.id : nil
                } while before != nil
                #expect(paged.map(\.activity.id) == expected, "\(viewer.handle) with \(viewer.contacts) contacts")
                #expect(paged.allSatisfy { $0.blog.isLinked && $0.post != nil && $0.actor.id != identity.id })
            }
        }
    }
}
