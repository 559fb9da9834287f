import Foundation

/// A classic Blogger export as Blogger writes it: one post (`…blog-42.post-1001`, published in
/// May 2010 at `{root}/2010/05/{title in lowercase}.html`, holding `html`), then its comments
/// as entries of their own, each reply pointing at its parent's feed address with a `related`
/// link.
public enum BloggerFixture {
    public static func export(
        root: String = "http://old.blogspot.com", title: String = "Hello", html: String = "First post", comments: [String] = []
    ) -> String {
        let escaped = html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        return """
            <?xml version='1.0' encoding='UTF-8'?>
            <feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
            <id>tag:blogger.com,1999:blog-42</id><title type='text'>Spaces</title>
            <link rel='alternate' type='text/html' href='\(root)/'/>
            <entry><id>tag:blogger.com,1999:blog-42.post-1001</id><published>2010-05-01T09:30:00.000-07:00</published>
              <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
              <title type='text'>\(title)</title><content type='html'>\(escaped)</content>
              <link rel='alternate' type='text/html' href='\(root)/2010/05/\(title.lowercased()).html'/></entry>
            \(comments.joined(separator: "\n"))
            </feed>
            """
    }

    /// Comment `number` on the post, written at 09:`minute` on 3 May 2010, answering comment
    /// `parent` if given.
    public static func comment(_ number: Int, minute: Int, _ text: String, replyTo parent: Int? = nil) -> String {
        let related = parent.map { "<link rel='related' href='http://www.blogger.com/feeds/42/posts/default/1001/comments/default/\($0)?v=2'/>" } ?? ""
        return """
            <entry><id>tag:blogger.com,1999:blog-42.post-\(number)</id><published>2010-05-03T09:\(minute):00.000-07:00</published>
              <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
              <content type='html'>\(text)</content><author><name>N\(number)</name></author>\(related)
              <thr:in-reply-to ref='tag:blogger.com,1999:blog-42.post-1001'/></entry>
            """
    }
}
