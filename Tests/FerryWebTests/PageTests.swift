import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct PageTests {
    @Test func theProfilePageShowsTheProfileWithEverythingEscaped() async throws {
        try await withApp { client in
            let token = try await client.newIdentity("mallory", displayName: "<script>alert('x')</script> & \\\"Co\\\"")
            let photo = "https://photos.example/m.jpg?a=1&b=\\\"onerror=alert(1)"
            let patch = #"{"bio":"<img src=x onerror=alert(1)>","website":"https://mallory.example/?q=<b>","photoURL":"\#(photo)"}"#
            #expect(try await client.send(.patch, "/api/me", token: token, json: patch).status == .unprocessableContent)
            _ = try await client.send(
                .patch, "/api/me", token: token, json: #"{"bio":"<img src=x onerror=alert(1)>","photoURL":"https://photos.example/m.jpg?a=1&b=2"}"#)

            let page = try await client.send(.get, "/people/Mallory")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let html = page.text
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"))
            #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(html.contains(#"src="https://photos.example/m.jpg?a=1&amp;b=2""#))
            #expect(!html.contains("<script>"))
            #expect(!html.contains("<img src=x"))
            #expect(html.contains(#"<link rel="stylesheet" href="/static/ferry.css">"#))
        }
    }

    @Test func unknownPeopleAndRoutesAre404Problems() async throws {
        try await withApp { client in
            for uri in ["/people/nobody", "/people/NOT%20valid", "/api/nothing", "/nothing/at/all"] {
                let response = try await client.send(.get, uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let wrongMethod = try await client.send(.put, "/api/nothing/at/all/here")
            #expect(wrongMethod.status == .notFound)
            #expect(try wrongMethod.json()["detail"] as? String == "there is no PUT /api/nothing/at/all/here")
        }
    }

    @Test func healthAndTheStylesheetAreServed() async throws {
        try await withApp { client in
            #expect(try await client.send(.get, "/healthz").status == .ok)
            #expect(try await client.send(.head, "/healthz").status == .ok)
            let css = try await client.send(.get, "/static/ferry.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            for uri in ["/static/../Package.swift", "/static/%2e%2e/Package.swift"] {
                let escape = try await client.send(.get, uri)
                #expect(escape.status == .badRequest || escape.status == .notFound, "\(uri)")
                #expect(!escape.text.contains("PackageDescription"))
            }
        }
    }
}
