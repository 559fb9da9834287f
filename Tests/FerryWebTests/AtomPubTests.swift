import FerryCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// AtomPub (RFC 5023) as editors use it: Basic sign-in, 201 with an absolute Location, ETags
/// that guard updates and deletes, drafts through `app:draft`, photos in the media collection,
/// and the hostile-input rules of every XML ferry reads.
@Suite struct AtomPubTests {
    static let basic = "Basic " + Data("alice:correct horse".utf8).base64EncodedString()

    static func entry(title: String, content: String, type: String = "xhtml", categories: [String] = [], draft: Bool = false) -> String {
        let body = type == "xhtml" ? #"<div xmlns="http://www.w3.org/1999/xhtml">\#(content)</div>"# : content
        let tags = categories.map { #"<category term="\#($0)"/>"# }.joined()
        let control = draft ? #"<app:control xmlns:app="http://www.w3.org/2007/app"><app:draft>yes</app:draft></app:control>"# : ""
        return
            #"<?xml version="1.0"?><entry xmlns="http://www.w3.org/2005/Atom"><title>\#(title)</title>\#(tags)<content type="\#(type)">\#(body)</content>\#(control)</entry>"#
    }

    private func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil,
        type: String = "application/atom+xml;type=entry", headers: HTTPFields = [:], authorization: String? = basic
    ) async throws -> TestResponse {
        var headers = headers
        if let authorization { headers[.authorization] = authorization }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = type }
        return try await client.executeRequest(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @Test func anEditorCreatesReadsUpdatesAndDeletesAPost() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let service = try await send(client, .get, "/atompub/notes")
            #expect(service.headers[.contentType] == "application/atomsvc+xml; charset=utf-8")
            #expect(service.text.contains(#"<collection href="\#(siteURL)/atompub/notes/entries">"#))
            #expect(service.text.contains("<accept>image/*</accept>") && service.text.contains("<accept>video/*</accept>"))

            let created = try await send(
                client, .post, "/atompub/notes/entries",
                Self.entry(title: "From Atom", content: #"<p>Hi <b>there</b><br/>again</p><script>alert(1)</script>"#, categories: ["sea", "sun"]),
                headers: [try #require(HTTPField.Name("Slug")): "Mein%20Caf%C3%A9"])
            #expect(created.status == .created)
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("\(siteURL)/atompub/notes/entries/"))
            #expect(created.headers[.contentLocation] == location)
            #expect(created.headers[.contentType] == #"application/atom+xml;type=entry;charset="utf-8""#)
            let etag = try #require(created.headers[.eTag])
            #expect(created.text.contains(#"<link rel="edit" href="\#(location)"/>"#))
            #expect(created.text.contains(#"<link rel="alternate" type="text/html" href="\#(siteURL)/notes/"#))
            let path = String(location.dropFirst(siteURL.count))
            let id = try #require(path.split(separator: "/").last)
            let stored = try await client.send(.get, "/api/blogs/notes/posts/\(id)").json()
            #expect(stored["title"] as? String == "From Atom")
            #expect(stored["content"] as? String == "<p>Hi <b>there</b><br>again</p>")
            #expect(stored["tags"] as? [String] == ["sea", "sun"])
            #expect((stored["url"] as? String)?.hasSuffix("/mein-cafe") == true)
            #expect(try await client.send(.get, "/notes/feed.atom").text.contains("From Atom"))

            let read = try await send(client, .get, path)
            #expect(read.headers[.eTag] == etag)
            #expect(try await send(client, .get, path, headers: [.ifNoneMatch: etag]).status == .notModified)

            let stale = try await send(client, .put, path, Self.entry(title: "Lost", content: "<p>x</p>"), headers: [.ifMatch: #""0000""#])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.headers[.contentType] == "application/problem+json")
            let updated = try await send(client, .put, path, Self.entry(title: "From Atom, edited", content: "<p>y</p>"), headers: [.ifMatch: etag])
            #expect(updated.status == .ok)
            let newTag = try #require(updated.headers[.eTag])
            #expect(newTag != etag)
            #expect(try await client.send(.get, "/api/blogs/notes/posts/\(id)").json()["title"] as? String == "From Atom, edited")
            #expect(try await client.send(.get, "/api/blogs/notes/posts/\(id)").json()["tags"] as? [String] == [])

            #expect(try await send(client, .delete, path, headers: [.ifMatch: etag]).status == .preconditionFailed)
            #expect(try await send(client, .delete, path, headers: [.ifMatch: newTag]).status == .noContent)
            #expect(try await send(client, .get, path).status == .notFound)
            #expect(!(try await client.send(.get, "/notes/feed.atom").text.contains("From Atom")))
        }
    }

    @Test func aDraftStaysTheOwnersUntilAnEntryWithoutDraftReplacesIt() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            try await client.link("notes", token: alice)
            let bob = try await client.newIdentity("bob")
            try await client.connect("alice", token: alice, with: "bob", token: bob)
            let created = try await send(
                client, .post, "/atompub/notes/entries", Self.entry(title: "Secret plan", content: "Soon", type: "text", draft: true))
            let path = String(try #require(created.headers[.location]).dropFirst(siteURL.count))
            #expect(created.text.contains("<draft>yes</draft>"))
            #expect(!(try await client.send(.get, "/notes/feed.atom").text.contains("Secret plan")))
            #expect(!(try await client.send(.get, "/notes/").text.contains("Secret plan")))
            #expect(!(try await client.send(.get, "/api/me/stream", token: bob).text.contains("Secret plan")))
            let listing = try await send(client, .get, "/atompub/notes/entries")
            #expect(listing.text.contains("Secret plan") && listing.text.contains("<draft>yes</draft>"))

            let published = try await send(client, .put, path, Self.entry(title: "Secret plan", content: "Now", type: "text"))
            #expect(published.status == .ok)
            #expect(!published.text.contains("<draft>"))
            #expect(try await client.send(.get, "/notes/feed.atom").text.contains("Secret plan"))
            // Publishing here is publishing: a linked blog's contacts hear of it.
            #expect(try await client.send(.get, "/api/me/stream", token: bob).text.contains("Secret plan"))
            let back = try await send(client, .put, path, Self.entry(title: "Hide", content: "x", type: "text", draft: true))
            #expect(back.status == .conflict)
        }
    }

    @Test func onlyTheOwnerSignedInWithBasicOrATokenWrites() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let bob = try await client.newIdentity("bob")
            try await client.createBlog("diary", token: bob, visibility: "private")
            let post = Self.entry(title: "Hi", content: "<p>x</p>")

            let anonymous = try await send(client, .post, "/atompub/notes/entries", post, authorization: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            // WSSE (what Atompub::Client sends first) cannot be checked against a bcrypt hash: 401, asking for Basic.
            let wsse = try await send(client, .get, "/atompub/notes", authorization: #"WSSE profile="UsernameToken""#)
            #expect(wsse.status == .unauthorized)
            let wrong = "Basic " + Data("alice:wrong".utf8).base64EncodedString()
            #expect(try await send(client, .get, "/atompub/notes", authorization: wrong).status == .unauthorized)
            #expect(try await send(client, .get, "/atompub/notes", authorization: "Bearer \(alice)").status == .ok)
            // The session cookie of a signed-in browser is not a publisher's credential.
            let cookie = try await client.signInCookie("alice")
            #expect(try await send(client, .post, "/atompub/notes/entries", post, headers: [.cookie: cookie], authorization: nil).status == .unauthorized)

            let asBob = "Bearer \(bob)"
            #expect(try await send(client, .post, "/atompub/notes/entries", post, authorization: asBob).status == .forbidden)
            #expect(try await send(client, .get, "/atompub/diary", authorization: Self.basic).status == .notFound)
            #expect((try await client.send(.get, "/api/blogs/notes/posts", token: alice).json()["posts"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func hostileEntriesAreRefusedAndWriteNothing() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let bomb =
                #"<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><entry xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></entry>"#
            let external =
                #"<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><entry xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></entry>"#
            let feed = #"<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>"#
            let elsewhere = #"<entry xmlns="http://www.w3.org/2005/Atom"><title>x</title><content src="http://evil.example/x"/></entry>"#
            for (body, status) in [(bomb, HTTPResponse.Status.badRequest), (external, .badRequest), (feed, .badRequest), (elsewhere, .unprocessableContent)] {
                let refused = try await send(client, .post, "/atompub/notes/entries", body)
                #expect(refused.status == status, "\(body.prefix(60))")
                #expect(refused.headers[.contentType] == "application/problem+json")
            }
            var invalid = Data(#"<entry xmlns="http://www.w3.org/2005/Atom"><title>"#.utf8)
            invalid.append(contentsOf: [0xC3, 0x28])
            invalid.append(Data("</title></entry>".utf8))
            let badUTF8 = try await client.executeRequest(
                uri: "/atompub/notes/entries", method: .post, headers: [.authorization: Self.basic, .contentType: "application/atom+xml"],
                body: ByteBuffer(bytes: invalid))
            #expect(badUTF8.status == .badRequest)
            let plain = try await send(client, .post, "/atompub/notes/entries", "title=x", type: "text/plain")
            #expect(plain.status == .unsupportedMediaType)
            let huge = Self.entry(title: "Big", content: String(repeating: "<p>aaaaaaaaa</p>", count: 300_000))
            #expect(try await send(client, .post, "/atompub/notes/entries", huge).status == .contentTooLarge)
            #expect((try await client.send(.get, "/api/blogs/notes/posts", token: alice).json()["posts"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func photosGoToTheMediaCollectionAndComeBackAsMediaLinkEntries() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let photo = MediaUploadTests.jpeg(3_000)
            let uploaded = try await client.executeRequest(
                uri: "/atompub/notes/media", method: .post, headers: [.authorization: Self.basic, .contentType: "image/jpeg"],
                body: ByteBuffer(bytes: photo))
            #expect(uploaded.status == .created)
            let location = try #require(uploaded.headers[.location])
            #expect(location.hasPrefix("\(siteURL)/atompub/notes/media/"))
            let source = try #require(uploaded.text.components(separatedBy: #"<content type="image/jpeg" src=""#).dropFirst().first?.prefix { $0 != "\"" })
            #expect(source.hasPrefix("\(siteURL)/media/"))
            #expect(uploaded.text.contains(#"<link rel="edit-media" type="image/jpeg" href="\#(source)"/>"#))
            #expect(Data(try await client.send(.get, String(source.dropFirst(siteURL.count))).body.readableBytesView) == photo)
            #expect(try await send(client, .get, String(location.dropFirst(siteURL.count))).text.contains(String(source)))
            #expect(try await send(client, .get, "/atompub/notes/media").text.contains(String(source)))

            let disguised = try await client.executeRequest(
                uri: "/atompub/notes/media", method: .post, headers: [.authorization: Self.basic, .contentType: "image/jpeg"],
                body: ByteBuffer(string: "<html><script>alert(1)</script>"))
            #expect(disguised.status == .unprocessableContent)
            let page = try await client.executeRequest(
                uri: "/atompub/notes/media", method: .post, headers: [.authorization: Self.basic, .contentType: "text/html"],
                body: ByteBuffer(string: "<p>hi</p>"))
            #expect(page.status == .unsupportedMediaType)
            #expect(try await send(client, .get, "/atompub/notes/media/\(String(repeating: "0", count: 64))").status == .notFound)
        }
    }
}
