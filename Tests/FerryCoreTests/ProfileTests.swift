import FerryCore
import Testing

@Suite struct ProfileTests {
    let base = Profile(displayName: "Alice", bio: "hello", location: "Paris", website: "https://alice.example", photoURL: "https://photos.example/a.jpg")

    @Test func absentFieldsStayAndClearedFieldsGo() throws {
        let updated = try base.applying(ProfileUpdate(bio: .clear, location: .set("Lyon")))
        #expect(
            updated == Profile(displayName: "Alice", bio: nil, location: "Lyon", website: "https://alice.example", photoURL: "https://photos.example/a.jpg"))
    }

    @Test func displayNameIsTrimmedAndMustStayNonEmpty() throws {
        #expect(try base.applying(ProfileUpdate(displayName: "  Alice B \n")).displayName == "Alice B")
        #expect(throws: FerryError.invalid("displayName", "must not be empty")) {
            try base.applying(ProfileUpdate(displayName: " \t "))
        }
    }

    @Test func photoReferenceIsKeptByteForByte() throws {
        let odd = "HTTPS://Photos.Example:8443/a%2Fb/../c.jpg?size=L&x=%E2%82%AC#frag"
        #expect(try base.applying(ProfileUpdate(photoURL: .set(odd))).photoURL == odd)
    }

    @Test(arguments: [
        ("bio", ProfileUpdate(bio: .set(String(repeating: "b", count: 2_001)))),
        ("bio", ProfileUpdate(bio: .set("bell\u{7}"))),
        ("location", ProfileUpdate(location: .set("two\nlines"))),
        ("displayName", ProfileUpdate(displayName: String(repeating: "n", count: 65))),
        ("website", ProfileUpdate(website: .set("ftp://alice.example"))),
        ("photoURL", ProfileUpdate(photoURL: .set("javascript:alert(1)"))),
    ])
    func invalidValuesNameTheirField(_ field: String, _ update: ProfileUpdate) {
        #expect {
            try base.applying(update)
        } throws: { error in
            (error as? FerryError)?.field == field
        }
    }

    @Test func multiLineBioKeepsLineBreaks() throws {
        #expect(try base.applying(ProfileUpdate(bio: .set("one\r\ntwo\tthree"))).bio == "one\r\ntwo\tthree")
    }
}

@Suite struct WebReferenceTests {
    @Test(arguments: [
        "https://example.com/p.jpg", "http://example.com", "HTTPS://EXAMPLE.COM/x",
        "https://user@example.com:8443/p?q=1#f", "https://[2001:db8::1]/p.png", "https://x.example?q=1", "http://a@b@x.example/",
    ])
    func acceptsAbsoluteHTTPURLs(_ value: String) throws {
        #expect(try WebReference.validate(value, field: "photoURL") == value)
    }

    @Test(arguments: [
        "", "example.com/p.jpg", "/relative.jpg", "javascript:alert(1)", "data:image/png;base64,AAAA",
        "file:///etc/passwd", "https:example.com", "https:///path", "https://exa mple.com/",
        "https://example.com/\u{0}", "https://exämple.com/", "https://x.example/?q=<b>",
        "https://x.example/\"onerror=x", "https://x.example/a\\b", "https://x.example/{a}", "https://user@:80/",
        "https://[]/", "://x.example/", "ftp://x.example/", "https:", "https://#x", "httpss://x.example/",
        "https://example.com/" + String(repeating: "a", count: 2_048),
    ])
    func refusesEverythingElse(_ value: String) {
        #expect(throws: FerryError.self) { try WebReference.validate(value, field: "photoURL") }
    }
}
