import Testing

@testable import FerryCore

@Suite struct OldAddressTests {
    @Test(arguments: [
        ("http://Example.COM./2010/05/hello/", "example.com", "/2010/05/hello"),
        ("https://example.com:8080/?p=42&replytocom=7#comment", "example.com", "/?p=42"),
        ("http://example.com/index.php?page_id=7", "example.com", "/index.php?page_id=7"),
        ("http://example.com/?p=", "example.com", ""),
        ("  http://example.com/feed/  ", "example.com", "/feed"),
        ("http://example.com/caf%C3%A9/?s=x&p=3", "example.com", "/caf%C3%A9?p=3"),
        ("HTTP://user@Example.com/a//b/", "example.com", "/a//b"),
    ])
    func keepsHostPathAndPostQuery(_ url: String, _ host: String, _ path: String) {
        #expect(OldAddress(url: url) == OldAddress(host: host, path: path))
    }

    /// RFC 3986 §6.2.2: escapes in either case, escaped unreserved characters and raw UTF-8
    /// all name the same address, for accented, CJK, Greek and Hebrew slugs alike.
    @Test(arguments: [
        ("/2010/05/café/", "/2010/05/caf%c3%a9/", "/2010/05/caf%C3%A9/"),
        ("/日本語", "/%e6%97%a5%e6%9c%ac%e8%aa%9e", "/%E6%97%A5%E6%9C%AC%E8%AA%9E/"),
        ("/ελληνικά", "/%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac", "/%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC"),
        ("/עברית/", "/%d7%a2%d7%91%d7%a8%d7%99%d7%aa/", "/%D7%A2%D7%91%D7%A8%D7%99%D7%AA"),
    ])
    func escapesMatchHoweverTheyAreSpelled(_ raw: String, _ lowerCase: String, _ upperCase: String) throws {
        let written = try #require(OldAddress(url: "http://old.example\(lowerCase)"))
        #expect(OldAddress(url: "http://OLD.example\(upperCase)") == written)
        #expect(OldAddress(url: "http://old.example\(raw)") == written)
        #expect(OldAddress(host: "old.example", path: upperCase) == written)
        #expect(OldAddress(host: "old.example", path: raw) == written)
        #expect(written.path.hasSuffix(upperCase.hasSuffix("/") ? String(upperCase.dropLast()) : upperCase))
    }

    @Test func unreservedCharactersAreDecodedAndOthersKeptEscaped() {
        #expect(PercentEncoding.normalized("/%7euser/a%2db%5Fc%2E") == "/~user/a-b_c.")
        #expect(PercentEncoding.normalized("/a%2fb%3f%20c") == "/a%2Fb%3F%20c")
        #expect(PercentEncoding.normalized("/100%/x%zz%4") == "/100%25/x%25zz%254")
        #expect(PercentEncoding.normalized("/a b\"c<") == "/a%20b%22c%3C")
        #expect(PercentEncoding.normalized("/plain/path?p=1") == "/plain/path?p=1")
        #expect(OldAddress(url: "http://old.example/%7Ebob/") == OldAddress(url: "http://old.example/~bob"))
    }

    @Test(arguments: ["ftp://example.com/", "/2010/05/hello", "http:///nohost", "mailto:a@example.com", "", "javascript:alert(1)"])
    func refusesWhatIsNotAnAbsoluteWebAddress(_ url: String) {
        #expect(OldAddress(url: url) == nil)
    }

    /// The byte-level reading of plain URLs must agree with URLComponents wherever it answers.
    @Test func plainURLsReadAsURLComponentsReadsThem() {
        var generator = SystemRandomNumberGenerator()
        let starts = ["http://", "https://", "HTTP://", "HTTPS://", "http:/", "ftp://", "http://:80", ""]
        let alphabet = Array("aZ09-._~/:?=&#pge_id")
        var compared = 0
        for _ in 0..<3_000 {
            let tail = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            let url = (starts.randomElement(using: &generator) ?? "") + tail
            guard let plain = OldAddress.plainAddress(url) else { continue }
            compared += 1
            #expect(plain == OldAddress.parsedAddress(url), "\(url)")
        }
        for url in ["http://a.example/x?p=1&p=2", "http://a.example?page_id=9#x", "https://a.example:/x", "http://a.example/?p"] {
            #expect(OldAddress.plainAddress(url) == OldAddress.parsedAddress(url), "\(url)")
        }
        #expect(compared > 500)
    }
}
