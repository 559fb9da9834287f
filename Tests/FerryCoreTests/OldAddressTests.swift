@testable import FerryCore
import Testing

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
