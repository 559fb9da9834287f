import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

@testable import FerryImport

/// A medium is served while something readable uses it: a post that is still there, or the
/// blog's library (an export's attachment that no post shows).
@Suite struct MediaUseTests {
    static func jpeg(_ byte: UInt8) -> Data { Data([0xFF, 0xD8, 0xFF, 0xE0, byte]) }

    @Test func aDeletedPostsMediaStopBeingServedUnlessAnotherPostUsesThem() async throws {
        let wxr = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title>Old</title><link>http://old.example</link>
            <item><title>Spare</title><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type>
            <wp:attachment_url>http://old.example/spare.jpg</wp:attachment_url></item>
            <item><title>First</title><link>http://old.example/first</link><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
            <wp:status>publish</wp:status><wp:post_date_gmt>2010-05-01 10:00:00</wp:post_date_gmt>
            <content:encoded><![CDATA[<img src="http://old.example/shared.jpg"> <img src="http://old.example/own.jpg">]]></content:encoded></item>
            <item><title>Second</title><link>http://old.example/second</link><wp:post_id>2</wp:post_id><wp:post_type>post</wp:post_type>
            <wp:status>publish</wp:status><wp:post_date_gmt>2010-05-02 10:00:00</wp:post_date_gmt>
            <content:encoded><![CDATA[<img src="http://old.example/shared.jpg">]]></content:encoded></item>
            </channel></rss>
            """
        try await withTemporaryDirectory { folder in
            let files = [("export.xml", Data(wxr.utf8)), ("spare.jpg", Self.jpeg(1)), ("shared.jpg", Self.jpeg(2)), ("own.jpg", Self.jpeg(3))]
            try await withZippedExport(files.map { ($0.0, Optional($0.1)) }, in: folder) { package, database, alice, plan in
                let report = try database.importIntoBlog(
                    BlogSlug(trusted: "moved"), owner: alice, createWith: (title: "M", language: LanguageTag(trusted: "en"))
                ) { batch in
                    try BlogImporter(media: plan).run(path: package.exportPath, into: batch)
                }
                #expect(report.photos == 3)
                let library = MediaLibrary(database: database, directory: folder.appendingPathComponent("media"))
                func served(_ byte: UInt8) async throws -> Bool {
                    let hash = try #require(plan.media(for: "http://old.example/\(["spare", "shared", "own"][Int(byte) - 1]).jpg", base: nil)).hash
                    return try await library.readable(hash, by: nil) != nil
                }
                let blog = try #require(try await database.blog(slug: BlogSlug(trusted: "moved")))
                let posts = try await database.posts(in: blog.id, limit: 10)
                let first = try #require(posts.first { $0.title == "First" })
                let second = try #require(posts.first { $0.title == "Second" })

                try await database.deletePost(first.id, in: blog.slug, by: alice)
                #expect(try await served(1), "the library's")
                #expect(try await served(2), "the second post shows it too")
                #expect(try await served(3) == false, "only the deleted post showed it")
                try await database.deletePost(second.id, in: blog.slug, by: alice)
                #expect(try await served(2) == false)
                #expect(try await served(1), "an attachment stays the blog's")
            }
        }
    }
}
