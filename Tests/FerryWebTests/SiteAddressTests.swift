import FerryCore
import Testing

@testable import FerryWeb

/// Every request is asked whether it is for this site before any old address is looked up.
@Suite struct SiteAddressTests {
    @Test func theSitesOwnHostsAreToldInAnyCaseWithAnyPort() throws {
        let configuration = try FerryConfiguration(environment: ["FERRY_BASE_URL": "https://blogs.example.org"])
        let site = SiteAddress(configuration, idAuthority: "first.example.net")
        for own in ["blogs.example.org", "Blogs.Example.ORG:443", "blogs.example.org.", "BLOGS.EXAMPLE.ORG.:8080", "first.example.net:8080"] {
            #expect(site.isOwn(authority: own), "\(own)")
        }
        let others = [
            "example.org", "blogs.example.or", "blogs.example.org.evil", "evil.blogs.example.org", "blogs-example.org", "[::1]:443", "",
            ":443", "blogs.example.org:443:443x",
        ]
        for other in others {
            #expect(!site.isOwn(authority: other), "\(other)")
        }
    }
}
