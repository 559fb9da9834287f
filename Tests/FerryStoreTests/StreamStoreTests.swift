import FerryCore
import FerrySeed
import FerryStore
import FerryTestSupport
import Foundation
import Testing

@Suite struct StreamStoreTests {
    /// The benchmark's generated world, small: every page of every kind of viewer's stream holds
    /// exactly the activities of their accepted contacts, newest first, however the windows fall.
    @Test(arguments: StoreBackend.available)
    func pagesOfAGeneratedWorldHoldExactlyTheContactsActivities(_ backend: StoreBackend) async throws {
        try await backend.withSeededStore { seeder, database in
            let world = try await seeder.seedStreamWorld(identities: 600, activities: 6_000, passwordHash: "x")
            #expect(world.contactRows > 0 && world.contactRows % 2 == 0)
            await #expect(throws: FerryError.self) { try await seeder.seedStreamWorld(identities: 1, activities: 1, passwordHash: "x") }
            let few = try #require(try await seeder.identities(withContacts: 2...5, limit: 1).first)
            let many = try #require(try await seeder.identities(withContacts: 40...200, limit: 1).first)
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
                #expect(paged.allSatisfy { $0.blog.isLinked && $0.post?.blogID == $0.blog.id && $0.blog.ownerID == $0.actor.id })
                #expect(paged.allSatisfy { $0.actor.id != identity.id && $0.actor.handle.rawValue.hasPrefix("user") })
            }
        }
    }

    /// A contact made after the activities sees them, and skipping quiet contacts never hides
    /// an activity, whatever is added or deleted.
    @Test(arguments: StoreBackend.available)
    func contactsMadeLaterAndDeletedPostsKeepTheStreamExact(_ backend: StoreBackend) async throws {
        try await PostStoreTests().withBlog(on: backend) { database, alice in
            let notes = BlogSlug(trusted: "notes")
            _ = try await database.linkBlog(notes, by: alice)
            var posts: [Post] = []
            for number in 1...3 {
                posts.append(try await database.createPost(in: notes, by: alice, draft: PostDraft(title: "Old \(number)", content: "<p>x</p>", tags: [])))
            }
            let bob = try await database.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "x").id
            _ = try await database.invite(from: bob, to: Handle(trusted: "alice"))
            _ = try await database.acceptInvitation(of: alice, from: Handle(trusted: "bob"))
            func titles() async throws -> [String] {
                try await database.stream(of: bob, before: nil, limit: 50).map { $0.post?.title ?? "\($0.activity.verb)" }
            }
            #expect(try await titles() == ["Old 3", "Old 2", "Old 1", "link"])

            try await database.deletePost(posts[2].id, in: notes, by: alice)
            #expect(try await titles() == ["Old 2", "Old 1", "link"])
            _ = try await database.createPost(in: notes, by: alice, draft: PostDraft(title: "New", content: "<p>x</p>", tags: []))
            #expect(try await titles() == ["New", "Old 2", "Old 1", "link"])
        }
    }
}

@Suite struct StreamCursorTests {
    let cursors = StreamCursors(key: Data((0..<32).map { UInt8($0) }))

    /// Every other spelling is refused, including changes to the last character that only touch
    /// base64's unused low bits and would decode to the same signature.
    @Test func aCursorIsGoodOnlyAsWrittenAndOnlyForItsViewer() {
        let viewer = IdentityID(7)
        let cursor = cursors.cursor(after: ActivityID(42), for: viewer)
        #expect(cursors.activityID(in: cursor, for: viewer) == ActivityID(42))
        #expect(cursors.activityID(in: cursor, for: IdentityID(8)) == nil)
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        for replacement in alphabet where replacement != cursor.last {
            #expect(cursors.activityID(in: String(cursor.dropLast()) + String(replacement), for: viewer) == nil, "\(replacement)")
        }
        #expect(cursors.activityID(in: "43" + cursor.drop { $0 != "." }, for: viewer) == nil)
    }
}
