import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

struct MediaLibraryTests {
    /// A stored medium is one file named by its hash, stored once however often it comes, with
    /// no temporary file left beside it.
    @Test(arguments: StoreBackend.available)
    func storingLeavesOnlyTheFile(_ backend: StoreBackend) async throws {
        try await backend.withStore { database in
            try await withTemporaryDirectory { folder in
                let library = MediaLibrary(database: database, directory: folder.appendingPathComponent("media"))
                let photo = Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
                let stored = try await library.store(photo, contentType: "image/jpeg")
                let again = try await library.store(photo, contentType: "image/jpeg")
                #expect(stored == again)
                let file = library.file(stored.hash)
                #expect(try Data(contentsOf: file) == photo)
                #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == [stored.hash])
            }
        }
    }

    /// Two nodes share one media folder: both storing the same upload at once leave one whole
    /// file; a blog's upload is readable by those who may read the blog, and no one else.
    @Test(arguments: StoreBackend.available)
    func nodesSharingTheFolderStoreOneFileReadableByTheBlogsReaders(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            try await withTemporaryDirectory { folder in
                let libraries = nodes.map { MediaLibrary(database: $0, directory: folder.appendingPathComponent("media")) }
                let video = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
                let stored = try await withThrowingTaskGroup(of: StoredMedia.self) { group in
                    for library in libraries { group.addTask { try await library.store(video, contentType: "video/mp4") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(stored.count == 2 && stored[0] == stored[1])
                let media = try #require(stored.first)
                #expect(try Data(contentsOf: libraries[1].file(media.hash)) == video)

                let alice = try await nodes[0].createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h").id
                let eve = try await nodes[0].createIdentity(handle: Handle(trusted: "eve"), displayName: "Eve", passwordHash: "h").id
                let diary = try await nodes[0].createBlog(
                    slug: BlogSlug(trusted: "diary"), owner: alice, title: "Diary", language: LanguageTag(trusted: "en"), visibility: .private)
                #expect(try await libraries[1].readable(media.hash, by: alice) == nil, "stored but used by no blog")
                try await nodes[0].recordUpload(media, by: alice, into: diary.id, quota: 1 << 30, at: Date())
                #expect(try await libraries[1].readable(media.hash, by: alice) == media)
                #expect(try await libraries[1].readable(media.hash, by: eve) == nil)
                #expect(try await libraries[0].readable(media.hash, by: nil) == nil)
                _ = try await nodes[1].updateBlog(diary.slug, by: alice, with: BlogUpdate(visibility: .public))
                #expect(try await libraries[0].readable(media.hash, by: nil) == media)
            }
        }
    }
}
