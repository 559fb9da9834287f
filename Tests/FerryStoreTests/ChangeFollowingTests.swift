import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Synchronization
import Testing

/// Two processes on one database (here two stores on one file): what one changes, the other
/// hears of when it follows the record, once, and never its own changes twice.
@Suite struct ChangeFollowingTests {
    @Test func anotherProcesssChangesAreAnnouncedOnceAndOwnOnesNeverAgain() async throws {
        try await withTemporaryDirectory { folder in
            let server = try AppDatabase.open(directory: folder)
            defer { try? server.close() }
            let command = try AppDatabase.open(directory: folder)
            defer { try? command.close() }
            let alice = try await command.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
            let notes = BlogSlug(trusted: "notes")
            let blog = try await command.createBlog(slug: notes, owner: alice, title: "Notes", language: LanguageTag(trusted: "en"), visibility: .public)
            let heard = Mutex<[BlogID]>([])
            server.changes.listen { blog in heard.withLock { $0.append(blog) } }
            let draft = PostDraft(title: "Hi", content: "<p>x</p>", tags: [])

            #expect(try await server.announceOthersChanges() == 0, "following starts at the end of the record")
            _ = try await command.createPost(in: notes, by: alice, draft: draft)
            _ = try await command.createPost(in: notes, by: alice, draft: draft)
            #expect(try await server.announceOthersChanges() == 1, "two changes of one blog are one announcement")
            #expect(heard.withLock { $0 } == [blog.id])
            #expect(try await server.announceOthersChanges() == 0)

            _ = try await server.createPost(in: notes, by: alice, draft: draft)
            #expect(heard.withLock { $0 }.count == 2, "its own change is announced as it is written")
            #expect(try await server.announceOthersChanges() == 0, "and not again")

            // A draft changes nothing anyone else sees; an import into the blog does.
            _ = try await command.createPost(in: notes, by: alice, draft: draft, publish: false)
            #expect(try await server.announceOthersChanges() == 0)
            _ = try command.importIntoBlog(notes, owner: alice, createWith: nil) { _ in }
            #expect(try await server.announceOthersChanges() == 1)

            try await server.forgetOldChanges(at: Date().addingTimeInterval(AppDatabase.changeRetention + 60))
            _ = try await command.updateBlog(notes, by: alice, with: BlogUpdate(title: "Field notes"))
            #expect(try await server.announceOthersChanges() == 1, "following goes on after old changes are forgotten")
        }
    }
}
