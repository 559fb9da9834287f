import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

struct MediaLibraryTests {
    /// A stored medium is one file named by its hash, stored once however often it comes, with
    /// no temporary file left beside it.
    @Test func storingLeavesOnlyTheFile() async throws {
        try await withTemporaryDirectory { folder in
            let database = try AppDatabase.open(directory: folder)
            defer { try? database.close() }
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
