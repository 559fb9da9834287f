import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Synchronization
import Testing

/// Blogs behave alike on every backend, and a change made on one node is heard on the others.
@Suite struct BlogStoreTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    let english = LanguageTag(trusted: "en")

    @Test(arguments: StoreBackend.available)
    func blogsAreOwnedAndOnlyTheirOwnerChangesThem(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h", at: now).id
            let bob = try await store.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "h", at: now).id
            let heard = Mutex<[BlogID]>([])
            store.changes.listen { blog in heard.withLock { $0.append(blog) } }

            let notes = try await store.createBlog(
                slug: BlogSlug(trusted: "notes"), owner: alice, title: "Notes", language: english, visibility: .public, at: now)
            let diary = try await store.createBlog(
                slug: BlogSlug(trusted: "diary"), owner: alice, title: "Diary", language: english, visibility: .private, at: now)
            #expect(notes.feedID.hasPrefix("urn:uuid:") && notes.feedID != diary.feedID)
            #expect(try await store.blog(slug: notes.slug) == notes)
            #expect(try await store.blogs(ownedBy: alice).map(\.slug) == [diary.slug, notes.slug])
            #expect(try await store.privateBlogSlugs() == [diary.slug])
            await #expect(throws: FerryError(.conflict, "the blog address 'notes' is already taken", field: "slug")) {
                try await store.createBlog(slug: BlogSlug(trusted: "notes"), owner: bob, title: "Mine", language: english, visibility: .public, at: now)
            }

            let update = BlogUpdate(title: "Field notes", visibility: .hidden, allowsAnonymousComments: true)
            let updated = try await store.updateBlog(notes.slug, by: alice, with: update, at: now)
            #expect(updated.title == "Field notes" && updated.visibility == .hidden && updated.allowsAnonymousComments)
            #expect(try await store.ownedBlog(notes.slug, by: alice) == updated)
            _ = try await store.updateBlog(notes.slug, by: alice, with: update, at: now)
            #expect(heard.withLock { $0 } == [notes.id, diary.id, notes.id], "an update that changes nothing announces nothing")

            await #expect(throws: FerryError(.forbidden, "only the owner of 'notes' may change it")) {
                try await store.updateBlog(notes.slug, by: bob, with: update, at: now)
            }
            await #expect(throws: FerryError(.notFound, "there is no blog at 'diary'"), "someone else's private blog is not revealed") {
                try await store.ownedBlog(diary.slug, by: bob)
            }
            await #expect(throws: FerryError(.notFound, "there is no blog at 'nowhere'")) {
                try await store.ownedBlog(BlogSlug(trusted: "nowhere"), by: alice)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func aChangeOnOneNodeIsHeardOnTheOtherOnceAndANodesOwnOnlyOnce(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            let (writer, follower) = (nodes[0], nodes[1])
            let alice = try await writer.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h", at: now).id
            let notes = try await writer.createBlog(
                slug: BlogSlug(trusted: "notes"), owner: alice, title: "Notes", language: english, visibility: .public, at: now)
            let probe = try await writer.createBlog(
                slug: BlogSlug(trusted: "probe"), owner: alice, title: "Probe", language: english, visibility: .public, at: now)
            let heard = Mutex<[BlogID]>([])
            follower.changes.listen { blog in heard.withLock { $0.append(blog) } }
            let heardByWriter = Mutex<[BlogID]>([])
            writer.changes.listen { blog in heardByWriter.withLock { $0.append(blog) } }

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await follower.followOthersChanges(every: .milliseconds(20)) { Issue.record($0) } }
                group.addTask { await writer.followOthersChanges(every: .milliseconds(20)) { Issue.record($0) } }
                defer { group.cancelAll() }

                // Following starts from "now": change a blog of its own until the follower hears
                // (late echoes of those changes name only it), then count the others.
                var title = 0
                while heard.withLock({ $0.isEmpty }) {
                    title += 1
                    _ = try await writer.updateBlog(probe.slug, by: alice, with: BlogUpdate(title: "Probe \(title)"), at: now)
                    try await Task.sleep(for: .milliseconds(50))
                    try #require(title < 200, "the follower never heard of the writer's changes")
                }
                heard.withLock { $0 = [] }
                heardByWriter.withLock { $0 = [] }

                let diary = try await writer.createBlog(
                    slug: BlogSlug(trusted: "diary"), owner: alice, title: "Diary", language: english, visibility: .private, at: now)
                _ = try await follower.updateBlog(notes.slug, by: alice, with: BlogUpdate(title: "Notes, last"), at: now)
                try await waitUntil { heard.withLock { $0.contains(diary.id) } && heardByWriter.withLock { $0.contains(notes.id) } }
                try await Task.sleep(for: .milliseconds(200))
                func others(_ heard: borrowing Mutex<[BlogID]>) -> [BlogID] {
                    heard.withLock { $0 }.filter { $0 != probe.id }.sorted { $0.rawValue < $1.rawValue }
                }
                #expect(others(heard) == [notes.id, diary.id], "the other's change once, its own once")
                #expect(others(heardByWriter) == [notes.id, diary.id])

                // A profile's change is followed too, as the identity's, not as a blog's.
                let profiles = Mutex<[IdentityID]>([])
                follower.changes.listenToProfiles { identity in profiles.withLock { $0.append(identity) } }
                heard.withLock { $0 = [] }
                _ = try await writer.updateProfile(of: alice, with: ProfileUpdate(bio: .set("Writes")), at: now)
                try await waitUntil { profiles.withLock { $0 == [alice] } }
                #expect(others(heard) == [])
            }
        }
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(20)) }
        try #require(condition())
    }
}
