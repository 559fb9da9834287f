import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing
import ZIPFoundation

/// Writes a zip of `entries` (path → bytes; a nil body makes a link to /etc/passwd).
func makeZip(_ entries: [(String, Data?)], at url: URL, compressed: Bool = true) throws {
    let archive = try Archive(url: url, accessMode: .create)
    for (path, data) in entries {
        if let data {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: compressed ? .deflate : .none) {
                position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        } else {
            let target = Data("/etc/passwd".utf8)
            try archive.addEntry(with: path, type: .symlink, uncompressedSize: Int64(target.count)) { _, _ in target }
        }
    }
}

@Suite struct ExportPackageTests {
    static let export = Data(
        """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Zipped</title><link>https://old.example/</link>
        <item><title>Photo post</title><guid>z-1</guid><pubDate>Tue, 02 Mar 2010 10:00:00 +0000</pubDate>
        <description>&lt;p&gt;&lt;img src="images/a.jpg"&gt;&lt;img src="../../outside.jpg"&gt;&lt;img src="images/missing.jpg"&gt;&lt;/p&gt;</description></item>
        </channel></rss>
        """.utf8)
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 64))

    @Test func aZippedExportMovesWithTheMediaItShips() async throws {
        let entries = [("blog/export.xml", Optional(Self.export)), ("blog/images/a.jpg", Self.jpeg), ("readme.txt", Data("hi".utf8))]
        try await withTemporaryDirectory { folder in
            try await withZippedExport(entries, in: folder) { package, database, alice, plan in
                #expect(try ExportFormat.detect(path: folder.appendingPathComponent("export.zip").path) == .zip)
                #expect(package.exportPath.hasSuffix("blog/export.xml"))
                #expect(plan.stored.count == 1)
                #expect(plan.failures.count == 2, "\(plan.failures)")
                let report = try database.importIntoBlog(
                    BlogSlug(trusted: "zipped"), owner: alice, createWith: (title: "Z", language: LanguageTag(trusted: "en"))
                ) { batch in
                    try BlogImporter(media: plan).run(path: package.exportPath, into: batch)
                }
                #expect(report.photos == 1)
                #expect(report.mediaKeptAtOldAddress == 2)
                #expect(report.mediaFailures.contains { $0.address == "images/missing.jpg" && $0.reason.contains("not in the zip") })
                #expect(!report.mediaFailures.contains { $0.address.contains(folder.path) }, "no path of this server is shown")
                let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "zipped")))
                let post = try #require(try await database.posts(in: blog.id, limit: 1).first)
                #expect(post.content.contains(#"<img src="/media/"#))
            }
        }
    }

    /// One migration moves a bounded number of media and bytes; what is over is reported.
    @Test func aMigrationMovesAtMostItsShareOfMedia() async throws {
        let photos = (1...4).map { ("blog/p\($0).jpg", Optional(Data([0xFF, 0xD8, 0xFF, UInt8($0)] + Array(repeating: 7, count: 32)))) }
        let html = (1...4).map { "&lt;img src=\"p\($0).jpg\"&gt;" }.joined()
        let export =
            #"<?xml version="1.0"?><rss version="2.0"><channel><title>Z</title><link>https://old.example/</link><item><title>Photos</title><link>https://old.example/p</link><guid>z1</guid><description>"#
            + html + "</description></item></channel></rss>"
        try await withTemporaryDirectory { folder in
            let zip = folder.appendingPathComponent("blog.zip")
            try makeZip([("blog/export.xml", Data(export.utf8))] + photos, at: zip)
            let package = try ExportPackage.open(zip.path, unpackingInto: folder.appendingPathComponent("unpacked"), limits: .init(maxBytes: 1 << 20))
            let database = try AppDatabase.open(directory: folder.appendingPathComponent("data"))
            defer { try? database.close() }
            let library = MediaLibrary(database: database, directory: folder.appendingPathComponent("media"))
            var counted = MediaMover.Limits()
            counted.maxMedia = 3
            let byCount = try await MediaMover(fetcher: nil, library: library, limits: counted).prepare(package)
            #expect(byCount.stored.count == 3)
            #expect(byCount.failures.values.map { $0 } == ["this migration moves at most 3 photos, videos and sounds"])
            var weighed = MediaMover.Limits()
            weighed.maxTotalBytes = 40
            var mover = MediaMover(fetcher: nil, library: library, limits: weighed)
            mover.concurrency = 1
            let byBytes = try await mover.prepare(package)
            #expect(byBytes.stored.count == 2, "36 bytes each: the second starts below the cap")
            #expect(byBytes.failures.count == 2 && byBytes.failures.values.allSatisfy { $0.contains("reached 40 bytes") })
        }
    }

    @Test(
        arguments: [
            ("zip slip", [("../evil.xml", Optional(Data("<rss/>".utf8)))], "outside the export"),
            ("absolute path", [("/tmp/evil.xml", Optional(Data("<rss/>".utf8)))], "outside the export"),
            ("link", [("export.xml", Optional(Data("<rss/>".utf8))), ("link.jpg", nil)], "link"),
            ("bomb", [("export.xml", Optional(Data(repeating: 0x20, count: 8 << 20)))], "zip bomb"),
            ("no export", [("photo.jpg", Optional(Data([1, 2, 3])))], "no WordPress"),
        ] as [(String, [(String, Data?)], String)])
    func hostileZipsAreRefusedAndNothingLandsOutside(_ name: String, _ entries: [(String, Data?)], _ reason: String) async throws {
        try await withTemporaryDirectory { folder in
            let zip = folder.appendingPathComponent("hostile.zip")
            try makeZip(entries, at: zip)
            let unpacked = folder.appendingPathComponent("deep/unpacked")
            #expect {
                _ = try ExportPackage.open(zip.path, unpackingInto: unpacked, limits: .init(maxBytes: 1 << 30))
            } throws: { error in
                (error as? FerryError)?.message.contains(reason) == true
            }
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("deep/evil.xml").path))
            #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.xml") || name != "absolute path")
        }
    }

    @Test func theExpandedSizeIsCappedByTheBytesActuallyProduced() async throws {
        try await withTemporaryDirectory { folder in
            let zip = folder.appendingPathComponent("big.zip")
            try makeZip([("export.xml", Self.export), ("a.bin", Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }))], at: zip)
            let error = #expect(throws: FerryError.self) {
                try ExportPackage.open(zip.path, unpackingInto: folder.appendingPathComponent("u"), limits: .init(maxBytes: 100_000))
            }
            #expect(error?.code == .unreadableExport)
        }
    }
}
