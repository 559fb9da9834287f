import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// A write under one `RequestKey`, sent at once to several nodes (a retry racing the original),
/// happens once, and every node answers with it; keys are forgotten after their lifetime.
@Suite struct RequestKeyStoreTests {
    @Test(arguments: StoreBackend.available)
    func oneKeySentToTwoNodesAtOnceAddsOneComment(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            let alice = try await nodes[0].createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h")
            let blog = try await nodes[0].createBlog(
                slug: BlogSlug(trusted: "notes"), owner: alice.id, title: "Notes", language: LanguageTag(trusted: "en"), visibility: .public)
            let post = try await nodes[0].createPost(in: blog.slug, by: alice.id, draft: PostDraft(title: "P", content: "<p>x</p>", tags: []))
            let key = RequestKey(scope: "identity:\(alice.id.rawValue)", key: "race", fingerprint: "same")
            let answers = try await withThrowingTaskGroup(of: CommentID.self) { group in
                for attempt in 0..<8 {
                    group.addTask {
                        try await nodes[attempt % 2].addComment(to: post.id, in: blog.id, by: .identity(alice.id), content: "<p>Once</p>", key: key).id
                    }
                }
                return try await group.reduce(into: Set<CommentID>()) { $0.insert($1) }
            }
            #expect(answers.count == 1)
            #expect(try await nodes[1].comments(of: post.id, limit: 10).map(\.id) == Array(answers))
            #expect(try await nodes[0].counts(of: blog.id).comments == 1)

            let otherRequest = RequestKey(scope: key.scope, key: key.key, fingerprint: "different")
            await #expect(throws: RequestKey.reused()) {
                try await nodes[1].addComment(to: post.id, in: blog.id, by: .identity(alice.id), content: "<p>Other</p>", key: otherRequest)
            }
            // A day later the key is forgotten: the same request is a new comment.
            let later = Date().addingTimeInterval(RequestKey.lifetime + 60)
            let fresh = try await nodes[1].addComment(to: post.id, in: blog.id, by: .identity(alice.id), content: "<p>Once</p>", at: later, key: key)
            #expect(!answers.contains(fresh.id))
        }
    }
}
