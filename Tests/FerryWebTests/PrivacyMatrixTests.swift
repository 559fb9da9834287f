import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every blog visibility (and an unlinked blog) × every kind of viewer × every surface that
/// shows posts or activities: a post shows exactly where the rules say, nowhere else; a draft
/// nowhere but in its owner's offline copy. (Media
/// of private posts: `MediaTests`; old addresses into private blogs: `ImportCommandTests`.)
@Suite struct PrivacyMatrixTests {
    enum Viewer: String, CaseIterable {
        case owner = "alice"
        case contact = "bob"
        case pending = "carol"
        case stranger = "dave"
        case anonymous
    }

    enum Surface: String, CaseIterable {
        case streamJSON, streamAtom, activityFeed, blogFeed, blogPage, postPage, profilePage
        /// `feeds/{slug}.atom`, which any static server may hand to anyone.
        case feedFile
        case sitemap
        /// The offline copy, `GET /api/blogs/{slug}/export`.
        case export
    }

    /// slug → visibility; `scraps` stays unlinked.
    static let blogs = [("open", "public"), ("quiet", "hidden"), ("diary", "private"), ("scraps", "public")]

    static func expected(_ surface: Surface, slug: String, visibility: String, viewer: Viewer) -> Bool {
        let linked = slug != "scraps"
        let mayRead = visibility != "private" || viewer == .owner || viewer == .contact
        switch surface {
        case .streamJSON, .streamAtom: return linked && viewer == .contact
        case .activityFeed: return linked && visibility != "private"
        case .blogFeed, .blogPage, .postPage: return mayRead
        case .profilePage: return linked && mayRead
        case .feedFile: return visibility != "private"
        case .sitemap: return visibility == "public"
        case .export: return viewer == .owner
        }
    }

    @Test func postsAndActivitiesShowExactlyWhereTheRulesSay() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                var tokens: [Viewer: String] = [:]
                var postPaths: [String: String] = [:]
                for viewer in Viewer.allCases where viewer != .anonymous {
                    tokens[viewer] = try await client.newIdentity(viewer.rawValue)
                }
                let alice = try #require(tokens[.owner])
                try await client.connect("alice", token: alice, with: "bob", token: try #require(tokens[.contact]))
                _ = try await client.send(.post, "/api/me/contacts", token: alice, json: #"{"handle":"carol"}"#)
                for (slug, visibility) in Self.blogs {
                    try await client.createBlog(slug, token: alice, visibility: visibility, title: "Title-\(slug)")
                    if slug != "scraps" { try await client.link(slug, token: alice) }
                    let post = try await client.createPost(slug, token: alice, title: "Marker-\(slug)", content: "<p>Body-\(slug)</p>")
                    postPaths[slug] = (post["url"] as? String).flatMap { URL(string: $0)?.path }
                    let draft = #"{"title":"Draft-\#(slug)","content":"<p>Unfinished-\#(slug)</p>","draft":true}"#
                    #expect(try await client.send(.post, "/api/blogs/\(slug)/posts", token: alice, json: draft).status == .created)
                }

                var leaks: [String] = []
                for viewer in Viewer.allCases {
                    var bodies = try await surfaces(client, viewer: viewer, token: tokens[viewer])
                    for (slug, _) in Self.blogs {
                        let headers: HTTPFields = viewer == .anonymous ? [:] : [.cookie: try await client.signInCookie(viewer.rawValue)]
                        bodies[.postPage, default: [:]][slug] = try await client.send(.get, postPaths[slug] ?? "/missing", headers: headers).text
                        bodies[.feedFile, default: [:]][slug] =
                            (try? String(contentsOf: folder.appendingPathComponent("feeds/\(slug).atom"), encoding: .utf8)) ?? ""
                        // The sitemap names posts by address; the address holds the title's words.
                        let sitemap = try await client.sitemapText()
                        bodies[.sitemap, default: [:]][slug] = sitemap.replacingOccurrences(of: "marker-", with: "Marker-")
                        bodies[.export, default: [:]][slug] = try await client.send(.get, "/api/blogs/\(slug)/export", token: tokens[viewer]).text
                    }
                    for (slug, visibility) in Self.blogs {
                        for surface in Surface.allCases {
                            let marker = surface == .profilePage ? "Title-\(slug)" : "Marker-\(slug)"
                            let shown = bodies[surface, default: [:]][slug, default: ""].contains(marker)
                            if shown != Self.expected(surface, slug: slug, visibility: visibility, viewer: viewer) {
                                leaks.append("\(viewer) \(surface) \(slug): \(shown ? "shown" : "missing")")
                            }
                            let draftShown = bodies[surface, default: [:]][slug, default: ""].contains("Draft-\(slug)")
                            if draftShown != (surface == .export && viewer == .owner) {
                                leaks.append("\(viewer) \(surface) \(slug): the draft \(draftShown ? "shown" : "missing")")
                            }
                        }
                    }
                }
                #expect(leaks.isEmpty, "\(leaks)")
            }
        }
    }

    /// What `viewer` gets from each surface, per blog (surfaces without a blog give one body for all).
    private func surfaces(_ client: some TestClientProtocol, viewer: Viewer, token: String?) async throws -> [Surface: [String: String]] {
        var headers: HTTPFields = [:]
        var basic: HTTPFields = [:]
        if viewer != .anonymous {
            headers[.cookie] = try await client.signInCookie(viewer.rawValue)
            basic[.authorization] = "Basic \(Data("\(viewer.rawValue):correct horse".utf8).base64EncodedString())"
        }
        let whole: [Surface: String] = [
            .streamJSON: try await client.send(.get, "/api/me/stream", token: token).text,
            .streamAtom: try await client.send(.get, "/api/me/stream.atom", headers: basic).text,
            .activityFeed: try await client.send(.get, "/people/alice/activity.atom", headers: basic).text,
            .profilePage: try await client.send(.get, "/people/alice", headers: headers).text,
        ]
        var bodies: [Surface: [String: String]] = [:]
        for (slug, _) in Self.blogs {
            for (surface, body) in whole { bodies[surface, default: [:]][slug] = body }
            bodies[.blogFeed, default: [:]][slug] = try await client.send(.get, "/\(slug)/feed.atom", headers: basic).text
            bodies[.blogPage, default: [:]][slug] = try await client.send(.get, "/\(slug)/", headers: headers).text
        }
        return bodies
    }
}
