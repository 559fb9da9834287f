import FerryCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// How Open Live Writer finds a blog's API: `rel="EditURI"` on the page, the RSD it points at,
/// and the manifest of what the blog supports — under the blog's own visibility.
@Suite struct EditorDiscoveryTests {
    @Test func aBlogsPagesLeadEditorsToItsRSDAndManifest() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let home = try await client.send(.get, "/notes/").text
            #expect(home.contains(#"<link rel="EditURI" type="application/rsd+xml" title="RSD" href="/notes/rsd.xml">"#))
            #expect(home.contains(#"<link rel="wlwmanifest" type="application/wlwmanifest+xml" href="/notes/wlwmanifest.xml">"#))

            let rsd = try await client.send(.get, "/notes/rsd.xml")
            #expect(rsd.headers[.contentType] == "application/rsd+xml; charset=utf-8")
            #expect(rsd.text.contains(#"<rsd version="1.0" xmlns="http://archipelago.phrasewise.com/rsd">"#))
            #expect(rsd.text.contains("<homePageLink>\(siteURL)/notes/</homePageLink>"))
            for api in ["WordPress", "MovableType", "MetaWeblog", "Blogger"] {
                #expect(rsd.text.contains(#"<api name="\#(api)" blogID="notes" preferred="\#(api == "WordPress")" apiLink="\#(siteURL)/xmlrpc"/>"#))
            }
            #expect(rsd.text.contains(#"<api name="Atom" blogID="notes" preferred="false" apiLink="\#(siteURL)/atompub/notes"/>"#))
            #expect(home.contains(#"<link rel="service" type="application/atomsvc+xml" title="AtomPub" href="/atompub/notes">"#))

            let manifest = try await client.send(.get, "/notes/wlwmanifest.xml")
            #expect(manifest.headers[.contentType] == "application/wlwmanifest+xml; charset=utf-8")
            #expect(manifest.text.contains(#"<manifest xmlns="http://schemas.microsoft.com/wlw/manifest/weblog">"#))
            #expect(manifest.text.contains("<supportsTrackbacks>No</supportsTrackbacks>"))
            #expect(manifest.text.contains("<supportsCategories>Yes</supportsCategories>"))
            // Fields a ferry post has no place for are not offered: their text would be dropped.
            #expect(manifest.text.contains("<supportsExcerpt>No</supportsExcerpt>"))
            #expect(manifest.text.contains("<supportsCommentPolicy>No</supportsCommentPolicy>"))
            #expect(manifest.text.contains("<adminUrl>\(siteURL)/me</adminUrl>"))
        }
    }

    @Test func aPrivateBlogsDiscoveryIsItsReadersOnly() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("diary", token: alice, visibility: "private")
            for path in ["/diary/rsd.xml", "/diary/wlwmanifest.xml"] {
                #expect(try await client.send(.get, path).status == .notFound)
                let basic = "Basic " + Data("alice:correct horse".utf8).base64EncodedString()
                let owner = try await client.send(.get, path, headers: [.authorization: basic])
                #expect(owner.status == .ok)
                #expect(owner.headers[.cacheControl] == "private, no-store")
            }
            #expect(try await client.send(.get, "/nowhere/rsd.xml").status == .notFound)
        }
    }
}
