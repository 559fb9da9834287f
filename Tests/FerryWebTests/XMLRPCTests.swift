import FerryCore
import FerryTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /xmlrpc` as desktop editors use it: the same rules as the API, faults as they read them.
@Suite struct XMLRPCTests {
    /// A call whose parameters are already XML-RPC `<value>`s.
    static func call(_ method: String, _ values: [String]) -> String {
        let params = values.map { "<param>\($0)</param>" }.joined()
        return #"<?xml version="1.0"?><methodCall><methodName>\#(method)</methodName><params>\#(params)</params></methodCall>"#
    }

    static func string(_ text: String) -> String { "<value><string>\(text)</string></value>" }

    static func post(title: String, description: String, categories: [String] = []) -> String {
        let tags = categories.map(string).joined()
        return """
            <value><struct><member><name>title</name><value>\(title)</value></member>\
            <member><name>description</name><value>\(description)</value></member>\
            <member><name>categories</name><value><array><data>\(tags)</data></array></value></member></struct></value>
            """
    }

    private func send(_ client: any TestClientProtocol, _ body: String) async throws -> TestResponse {
        let response = try await client.executeRequest(uri: "/xmlrpc", method: .post, headers: [.contentType: "text/xml"], body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/xml; charset=utf-8")
        return response
    }

    private func faultCode(_ response: TestResponse) -> String? {
        response.text.components(separatedBy: "<name>faultCode</name><value><int>").dropFirst().first?.prefix { $0 != "<" }.description
    }

    @Test func anEditorListsBlogsPublishesEditsAndDeletes() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let bob = try await client.newIdentity("bob")
            try await client.createBlog("bobs", token: bob)
            let credentials = [Self.string("alice"), Self.string("correct horse")]

            let blogs = try await send(client, Self.call("blogger.getUsersBlogs", [Self.string("key")] + credentials)).text
            #expect(blogs.contains("<name>blogid</name><value><string>notes</string></value>"))
            #expect(blogs.contains("<name>url</name><value><string>\(siteURL)/notes/</string></value>"))
            #expect(!blogs.contains("bobs"))
            #expect(try await send(client, Self.call("wp.getUsersBlogs", credentials)).text.contains("<string>notes</string>"))

            let created = try await send(
                client,
                Self.call(
                    "metaWeblog.newPost",
                    [Self.string("notes")] + credentials + [
                        Self.post(title: "From my editor", description: "&lt;p&gt;Hi&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;", categories: ["sea"]),
                        "<value><boolean>1</boolean></value>",
                    ]))
            let id = try #require(created.text.components(separatedBy: "<string>").dropFirst().first?.prefix { $0 != "<" })
            let stored = try await client.send(.get, "/api/blogs/notes/posts/\(id)", token: alice).json()
            #expect(stored["title"] as? String == "From my editor")
            #expect(stored["content"] as? String == "<p>Hi</p>")
            #expect(stored["tags"] as? [String] == ["sea"])
            #expect(try await client.send(.get, "/notes/feed.atom").text.contains("From my editor"))

            let edited = try await send(
                client, Self.call("metaWeblog.editPost", [Self.string(String(id))] + credentials + [Self.post(title: "Edited", description: "Now")]))
            #expect(edited.text.contains("<boolean>1</boolean>"))
            let read = try await send(client, Self.call("metaWeblog.getPost", [Self.string(String(id))] + credentials)).text
            #expect(read.contains("<name>title</name><value><string>Edited</string></value>"))
            #expect(read.contains("<name>permaLink</name><value><string>\(siteURL)/notes/"))

            // Bob may not touch it: 401, as the API's 403; his own credentials are good.
            let bobs = [Self.string("bob"), Self.string("correct horse")]
            #expect(
                faultCode(
                    try await send(client, Self.call("metaWeblog.editPost", [Self.string(String(id))] + bobs + [Self.post(title: "Mine", description: "")])))
                    == "401")
            #expect(faultCode(try await send(client, Self.call("blogger.deletePost", [Self.string("k"), Self.string(String(id))] + bobs))) == "401")

            // The slug an editor chose names the permalink; the date it gave is the post's.
            let chosen = """
                <value><struct><member><name>title</name><value>A long title nobody wants in a link</value></member>\
                <member><name>description</name><value>Hi</value></member><member><name>wp_slug</name><value>short</value></member>\
                <member><name>dateCreated</name><value><dateTime.iso8601>20240229T08:00:00</dateTime.iso8601></value></member></struct></value>
                """
            let slugged = try await send(client, Self.call("metaWeblog.newPost", [Self.string("notes")] + credentials + [chosen]))
            let sluggedID = try #require(slugged.text.components(separatedBy: "<string>").dropFirst().first?.prefix { $0 != "<" })
            #expect(try await client.send(.get, "/api/blogs/notes/posts/\(sluggedID)", token: alice).json()["url"] as? String == "/notes/2024/02/short")

            let deleted = try await send(client, Self.call("blogger.deletePost", [Self.string("k"), Self.string(String(id))] + credentials))
            #expect(deleted.text.contains("<boolean>1</boolean>"))
            #expect(try await client.send(.get, "/api/blogs/notes/posts/\(id)", token: alice).status == .notFound)
        }
    }

    @Test func faultsAreWhatClientsExpect() async throws {
        try await withTemporaryDirectory { folder in
            try await faults(data: folder)
            // Every call's file and decoded upload is gone once it is answered, taken or refused.
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("xmlrpc").path)
            #expect(left.isEmpty)
        }
    }

    private func faults(data: URL) async throws {
        try await withApp(data: data) { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let bob = try await client.newIdentity("bob")
            try await client.createBlog("hidden-diary", token: bob, visibility: "private")
            let credentials = [Self.string("alice"), Self.string("correct horse")]

            #expect(
                faultCode(try await send(client, Self.call("blogger.getUsersBlogs", [Self.string("k"), Self.string("alice"), Self.string("wrong password")])))
                    == "403")
            #expect(faultCode(try await send(client, Self.call("no.suchMethod", []))) == "-32601")
            #expect(faultCode(try await send(client, "<methodCall><methodName>x")) == "-32700")
            let bomb = #"<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><methodCall><methodName>&a;</methodName></methodCall>"#
            #expect(faultCode(try await send(client, bomb)) == "-32700")
            // Someone else's private blog does not exist for alice.
            #expect(
                faultCode(
                    try await send(
                        client, Self.call("metaWeblog.getRecentPosts", [Self.string("hidden-diary")] + credentials + ["<value><int>5</int></value>"]))) == "404"
            )
            let disguised =
                "<value><struct><member><name>name</name><value>a.jpg</value></member><member><name>type</name><value>image/jpeg</value></member><member><name>bits</name><value><base64>\(Data("<html>".utf8).base64EncodedString())</base64></value></member></struct></value>"
            #expect(faultCode(try await send(client, Self.call("metaWeblog.newMediaObject", [Self.string("notes")] + credentials + [disguised]))) == "400")
            let photo = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 100))
            let real = disguised.replacingOccurrences(of: Data("<html>".utf8).base64EncodedString(), with: photo.base64EncodedString())
            let uploaded = try await send(client, Self.call("metaWeblog.newMediaObject", [Self.string("notes")] + credentials + [real])).text
            let url = try #require(uploaded.components(separatedBy: "<name>url</name><value><string>\(siteURL)").dropFirst().first?.prefix { $0 != "<" })
            #expect(Data(try await client.send(.get, String(url)).body.readableBytesView) == photo)
        }
    }

    /// `publish=false` (MetaWeblog) or `post_status=draft` (WordPress) keeps a draft that only
    /// its owner sees: not on the blog, its feed, the API or a contact's stream, until the
    /// editor publishes it. A published post does not go back.
    @Test func aDraftIsTheOwnersUntilTheEditorPublishesIt() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            try await client.link("notes", token: alice)
            let bob = try await client.newIdentity("bob")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            let credentials = [Self.string("alice"), Self.string("correct horse")]
            let saved = try await send(
                client,
                Self.call(
                    "metaWeblog.newPost",
                    [Self.string("notes")] + credentials + [Self.post(title: "Half written", description: "Soon"), "<value><boolean>0</boolean></value>"]))
            let id = try #require(saved.text.components(separatedBy: "<string>").dropFirst().first?.prefix { $0 != "<" }).description

            func seenByOthers() async throws -> [Bool] {
                [
                    try await client.send(.get, "/notes/").text.contains("Half written"),
                    try await client.send(.get, "/notes/feed.atom").text.contains("Half written"),
                    try await client.sitemapText().contains("half-written"),
                    try await client.send(.get, "/api/blogs/notes/posts").text.contains("Half written"),
                    try await client.send(.get, "/api/blogs/notes/posts/\(id)").status == .ok,
                    try await client.send(.get, "/api/blogs/notes/posts/\(id)", token: bob).status == .ok,
                    try await client.send(.get, "/api/me/stream", token: bob).text.contains("Half written"),
                ]
            }
            #expect(try await seenByOthers() == Array(repeating: false, count: 7))
            #expect(try await client.send(.get, "/api/blogs/notes/posts/\(id)", token: alice).status == .ok)
            let recent = try await send(client, Self.call("metaWeblog.getRecentPosts", [Self.string("notes")] + credentials + ["<value><int>5</int></value>"]))
            #expect(recent.text.contains("<name>post_status</name><value><string>draft</string></value>"))
            #expect(recent.text.contains("<name>permaLink</name><value><string>\(siteURL)/me/blogs/notes/posts/\(id)/edit</string>"))
            let drafts = try await send(
                client,
                Self.call(
                    "wp.getPosts",
                    ["<value><int>0</int></value>"] + credentials
                        + ["<value><struct><member><name>post_status</name><value>publish</value></member></struct></value>"]))
            #expect(!drafts.text.contains("Half written"))

            let published = try await send(
                client,
                Self.call(
                    "metaWeblog.editPost",
                    [Self.string(id)] + credentials + [Self.post(title: "Half written", description: "Done"), "<value><boolean>1</boolean></value>"]))
            #expect(published.text.contains("<boolean>1</boolean>"))
            #expect(try await seenByOthers() == Array(repeating: true, count: 7))
            let read = try await send(client, Self.call("metaWeblog.getPost", [Self.string(id)] + credentials)).text
            #expect(read.contains("<name>permaLink</name><value><string>\(siteURL)/notes/"))
            #expect(read.contains("<name>post_status</name><value><string>publish</string></value>"))

            let back = Self.call(
                "metaWeblog.editPost",
                [Self.string(id)] + credentials + [Self.post(title: "Hide it", description: ""), "<value><boolean>0</boolean></value>"])
            #expect(faultCode(try await send(client, back)) == "409")
            let pending = Self.call(
                "wp.newPost",
                ["<value><int>0</int></value>"] + credentials
                    + [
                        "<value><struct><member><name>post_title</name><value>Review me</value></member><member><name>post_status</name><value>pending</value></member></struct></value>"
                    ])
            #expect(faultCode(try await send(client, pending)) == "400")
            #expect(!(try await client.send(.get, "/api/blogs/notes/posts", token: alice).text.contains("Review me")))
        }
    }
}
