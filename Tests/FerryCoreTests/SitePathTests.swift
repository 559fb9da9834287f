import FerryCore
import Testing

/// Every link ferry builds lands on the route pattern that answers it.
struct SitePathTests {
    /// Whether `path` (without its query) is what `pattern` routes: same segments, any
    /// non-empty value where the pattern has a `{parameter}` (which may carry a suffix, `{month}.atom`).
    private func routes(_ pattern: String, _ path: String) -> Bool {
        let expected = pattern.split(separator: "/")
        let actual = path.prefix { $0 != "?" }.split(separator: "/")
        return expected.count == actual.count && zip(expected, actual).allSatisfy(segmentMatches)
    }

    private func segmentMatches(_ wanted: Substring, _ got: Substring) -> Bool {
        guard let open = wanted.firstIndex(of: "{"), let close = wanted.firstIndex(of: "}") else { return wanted == got }
        let prefix = wanted[..<open]
        let suffix = wanted[wanted.index(after: close)...]
        return got.count > prefix.count + suffix.count && got.hasPrefix(prefix) && got.hasSuffix(suffix)
    }

    @Test func everyBuiltPathMatchesItsPattern() throws {
        let blog = BlogSlug(trusted: "ada")
        let handle = Handle(trusted: "ada")
        let month = try #require(PostMonth(year: 2026, month: 11))
        let archive = try #require(ArchivePart(key: "2026-11-2"))
        let pairs: [(String, String)] = [
            (SitePath.profilePattern, SitePath.profile(handle)),
            (SitePath.activityFeedPattern, SitePath.activityFeed(handle)),
            (SitePath.verifyClaimFormPattern, SitePath.verifyClaimForm(7)),
            (SitePath.blogHomePattern, SitePath.blogHome(blog)),
            (SitePath.feedPattern, SitePath.feed(blog)),
            (SitePath.archiveFeedPattern, SitePath.archiveFeed(blog, archive)),
            (SitePath.permalinkPattern, SitePath.permalink(blog, month: month, slug: PostSlug(trusted: "hello"))),
            (SitePath.pagePattern, SitePath.page(blog, PostSlug(trusted: "about"))),
            (SitePath.mediaPattern, SitePath.media(String(repeating: "a", count: 64), fileExtension: "jpg")),
            (SitePath.API.blogPattern, SitePath.API.blog(blog)),
            (SitePath.API.postPattern, SitePath.API.post(blog, PostID(3))),
            (SitePath.API.migrationPattern, SitePath.API.migration("0a1b")),
            (SitePath.API.verifyClaimPattern, SitePath.API.verifyClaim(7)),
            (SitePath.API.stream, SitePath.API.streamPage(limit: 20, before: "abc")),
        ]
        for (pattern, path) in pairs {
            #expect(routes(pattern, path), "\(path) is not routed by \(pattern)")
        }
        #expect(!routes(SitePath.API.postPattern, SitePath.API.blog(blog)), "the matcher itself tells paths apart")
    }

    @Test func theFeedFileIsNamedForTheStaticServer() {
        #expect(SitePath.feedFileName(BlogSlug(trusted: "ada")) == "ada.atom")
        #expect(SitePath.feed(BlogSlug(trusted: "ada")) == "/ada/feed.atom")
    }
}
