import FerryCore
import FerryImport
import FerryTestSupport
import Foundation
import Testing

@Suite struct BloggerExportReaderTests {
    static let classic = """
        <?xml version='1.0' encoding='UTF-8'?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://purl.org/syndication/thread/1.0'>
        <id>tag:blogger.com,1999:blog-42</id><updated>2011-02-01T10:00:00.000-08:00</updated>
        <title type='text'>Spaces of mine</title>
        <link rel='alternate' type='text/html' href='http://old.blogspot.com/'/>
        <entry><id>tag:blogger.com,1999:blog-42.layout</id><category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#template'/><title>Template</title><content type='html'>&lt;b:skin/&gt;</content></entry>
        <entry><id>tag:blogger.com,1999:blog-42.settings.BLOG_NAME</id><category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#settings'/><content type='text'>x</content></entry>
        <entry><id>tag:blogger.com,1999:blog-42.post-1001</id><published>2010-05-01T09:30:00.000-07:00</published><updated>2010-05-02T09:30:00.000-07:00</updated>
          <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
          <category scheme='http://www.blogger.com/atom/ns#' term='travel'/>
          <title type='text'>Hello &amp; welcome</title><content type='html'>&lt;p&gt;First post&lt;/p&gt;</content>
          <link rel='alternate' type='text/html' href='http://old.blogspot.com/2010/05/hello.html' title='Hello'/>
          <author><name>Ann</name><uri>http://www.blogger.com/profile/1</uri></author></entry>
        <entry><id>tag:blogger.com,1999:blog-42.post-1002</id><published>2010-06-01T09:30:00.000-07:00</published>
          <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
          <title type='text'>Unfinished</title><content type='html'>draft</content>
          <app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control></entry>
        <entry><id>tag:blogger.com,1999:blog-42.post-2001</id><published>2010-05-03T09:30:00.000-07:00</published>
          <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
          <title type='text'>Nice</title><content type='html'>Nice post</content><author><name>Bob</name></author>
          <thr:in-reply-to href='http://old.blogspot.com/2010/05/hello.html' ref='tag:blogger.com,1999:blog-42.post-1001' type='text/html'/></entry>
        <entry><id>tag:blogger.com,1999:blog-42.post-2002</id><published>2010-05-04T09:30:00.000-07:00</published>
          <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
          <title type='text'>Thanks</title><content type='html'>Thanks!</content><author><name>Ann</name></author>
          <link rel='related' href='http://www.blogger.com/feeds/42/1001/comments/default/2001'/>
          <thr:in-reply-to ref='tag:blogger.com,1999:blog-42.post-1001'/></entry>
        </feed>
        """

    static let modern = """
        <?xml version='1.0' encoding='utf-8'?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
        <id>tag:blogger.com,1999:blog-7</id><title>Modern blog</title>
        <entry><id>tag:blogger.com,1999:blog-7.post-1</id><blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>
          <author><name>Ann</name></author><title>Live one</title><content type='html'>&lt;p&gt;live&lt;/p&gt;</content>
          <blogger:created>2019-01-01T00:00:00.001Z</blogger:created><published>2019-01-02T00:00:00.001Z</published>
          <category scheme='tag:blogger.com,1999:blog-7' term='Label A'/><blogger:filename>/2019/01/live-one.html</blogger:filename></entry>
        <entry><id>tag:blogger.com,1999:blog-7.post-2</id><blogger:type>POST</blogger:type><blogger:status>DRAFT</blogger:status><title>d</title></entry>
        <entry><id>tag:blogger.com,1999:blog-7.post-3</id><blogger:type>POST</blogger:type><blogger:status>SOFT_TRASHED</blogger:status><title>t</title></entry>
        <entry><id>tag:blogger.com,1999:blog-7.page-4</id><blogger:type>PAGE</blogger:type><blogger:status>LIVE</blogger:status><title>About</title><content type='html'>me</content><published>2019-02-01T00:00:00Z</published></entry>
        <entry><id>tag:blogger.com,1999:blog-7.post-5</id><blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status>
          <blogger:parent>tag:blogger.com,1999:blog-7.post-1</blogger:parent><author><name>Cy</name></author><content type='html'>hi</content><published>2019-01-03T00:00:00Z</published></entry>
        </feed>
        """

    func items(_ xml: String) throws -> [ExportItem] {
        try withTemporaryFile(xml) { path in
            #expect(try ExportFormat.detect(path: path) == .bloggerAtom)
            var reader = try ExportFormat.reader(path: path)
            var items: [ExportItem] = []
            while let item = try reader.next() { items.append(item) }
            return items
        }
    }

    @Test func readsTheClassicForm() throws {
        let items = try items(Self.classic)
        #expect(items.first == .channel(ExportChannel(title: "Spaces of mine", link: "http://old.blogspot.com/")))
        let posts = items.compactMap { if case .post(let post) = $0 { post } else { nil } }
        #expect(posts.count == 1)
        #expect(posts[0].sourceID == "tag:blogger.com,1999:blog-42.post-1001")
        #expect(posts[0].title == "Hello & welcome")
        #expect(posts[0].content == "<p>First post</p>")
        #expect(posts[0].tags == ["travel"])
        #expect(posts[0].link == "http://old.blogspot.com/2010/05/hello.html")
        #expect(posts[0].publishedAt == (try? Date("2010-05-01T16:30:00Z", strategy: .iso8601)))
        let comments = items.compactMap { if case .comment(let comment, let post) = $0 { (comment, post) } else { nil } }
        #expect(comments.map(\.1) == ["tag:blogger.com,1999:blog-42.post-1001", "tag:blogger.com,1999:blog-42.post-1001"])
        #expect(comments[0].0.authorName == "Bob")
        #expect(comments[0].0.parentID == nil)
        #expect(comments[1].0.parentID == "tag:blogger.com,1999:blog-42.post-2001")
        let leftBehind = items.compactMap { if case .leftBehind(let kind, _) = $0 { kind } else { nil } }
        #expect(leftBehind.sorted() == ["draft", "settings", "template"])
    }

    @Test func readsThe2018Form() throws {
        let items = try items(Self.modern)
        let posts = items.compactMap { if case .post(let post) = $0 { post } else { nil } }
        #expect(posts.map(\.title) == ["Live one", "About"])
        #expect(posts.map(\.kind) == [.post, .page])
        #expect(posts[0].tags == ["Label A"])
        #expect(posts[0].publishedAt == (try? Date("2019-01-02T00:00:00.001Z", strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))))
        let comments = items.compactMap { if case .comment(let comment, let post) = $0 { (comment.authorName, post) } else { nil } }
        #expect(comments.map(\.0) == ["Cy"])
        #expect(comments.map(\.1) == ["tag:blogger.com,1999:blog-7.post-1"])
        let leftBehind = items.compactMap { if case .leftBehind(let kind, _) = $0 { kind } else { nil } }
        #expect(leftBehind.sorted() == ["draft", "trash"])
    }

    @Test func theFormatComesFromTheContentNotTheName() throws {
        let rss = try withTemporaryFile(#"<?xml version="1.0"?><rss version="2.0"><channel/></rss>"#) { path throws in
            try ExportFormat.detect(path: path)
        }
        #expect(rss == .rss)
        let zip = try withTemporaryFile(Data([0x50, 0x4B, 0x03, 0x04, 0, 0])) { path throws in
            try ExportFormat.detect(path: path)
        }
        #expect(zip == .zip)
        for text in ["", "<html/>", "<feed/>", "plain text"] {
            try withTemporaryFile(text) { path in
                let error = #expect(throws: FerryError.self, "\(text)") { try ExportFormat.detect(path: path) }
                #expect(error?.code == .unreadableExport)
            }
        }
    }
}
