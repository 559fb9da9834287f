import FerryCore
import Foundation

/// A WordPress export of `posts` published posts with `commentsEach` approved comments each
/// (every second one a reply), plus a draft and an attachment per hundred posts: the shape of
/// a real blog, at any size.
public func writeSyntheticWXR(posts: Int, commentsEach: Int, to url: URL) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.write(
        contentsOf: Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel><title>Synthetic</title><link>https://old.example</link><language>en</language><wp:wxr_version>1.2</wp:wxr_version>

            """.utf8))
    var chunk = ""
    for number in 0..<posts {
        let day = 1_262_304_000 + number * 3_600
        let date = UTCDate.wordpress(Date(timeIntervalSince1970: TimeInterval(day)))
        var comments = ""
        for comment in 0..<commentsEach {
            let id = number * 100 + comment + 1
            let parent = comment % 2 == 1 ? id - 1 : 0
            comments += """
                <wp:comment><wp:comment_id>\(id)</wp:comment_id><wp:comment_author><![CDATA[Reader \(comment)]]></wp:comment_author>\
                <wp:comment_author_url>https://reader.example/\(comment)</wp:comment_author_url><wp:comment_date_gmt>\(date)</wp:comment_date_gmt>\
                <wp:comment_content><![CDATA[<p>Comment \(comment) on post \(number)</p>]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>\
                <wp:comment_parent>\(parent)</wp:comment_parent></wp:comment>

                """
        }
        chunk += """
            <item><title>Post \(number) &amp; more</title><link>https://old.example/\(number)/</link><guid isPermaLink="false">https://old.example/?p=\(number + 1)</guid>
            <content:encoded><![CDATA[<p>Paragraph one of post \(number), with <a href="https://example.org/\(number)">a link</a>.</p><p>Paragraph two, a little longer, about nothing much at all.</p>]]></content:encoded>
            <wp:post_id>\(number + 1)</wp:post_id><wp:post_date_gmt>\(date)</wp:post_date_gmt><wp:post_name>post-\(number)</wp:post_name>
            <wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="post_tag" nicename="t\(number % 10)"><![CDATA[tag \(number % 10)]]></category>
            \(comments)</item>

            """
        if number % 100 == 0 {
            chunk += """
                <item><title>Draft \(number)</title><wp:post_id>\(posts + number + 1)</wp:post_id><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
                <item><title>photo</title><wp:post_id>\(2 * posts + number + 1)</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:attachment_url>https://old.example/p\(number).jpg</wp:attachment_url><wp:post_parent>\(number + 1)</wp:post_parent></item>

                """
        }
        if chunk.utf8.count > 1 << 20 {
            try handle.write(contentsOf: Data(chunk.utf8))
            chunk = ""
        }
    }
    try handle.write(contentsOf: Data((chunk + "</channel></rss>\n").utf8))
}
