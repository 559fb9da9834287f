import FerryCore
import Testing

@Suite struct BlogSlugTests {
    @Test(arguments: ["my-blog", "travels.2010", "ab"])
    func acceptsTheHandleAlphabet(_ input: String) throws {
        #expect(try BlogSlug(validating: input).rawValue == input)
    }

    @Test(arguments: ["api", "API", "people", "media", "static", "stream", "login", "healthz", "robots.txt", "sitemap.xml"])
    func refusesSlugsThatShadowRoutes(_ input: String) {
        #expect {
            try BlogSlug(validating: input)
        } throws: { error in
            (error as? FerryError)?.message.contains("reserved") == true
        }
    }

    @Test(arguments: ["..", ".well-known", "blog.", "a..b", "a/b", "x"])
    func refusesPathTricksAndMalformedSlugs(_ input: String) {
        #expect(throws: FerryError.self) { try BlogSlug(validating: input) }
    }

    @Test func handlesRefusePathTricksToo() {
        #expect(throws: FerryError.self) { try Handle(validating: "..") }
        #expect(throws: FerryError.self) { try Handle(validating: ".alice") }
    }
}

@Suite struct LanguageTagTests {
    @Test(arguments: [
        ("en", "en"), ("EN-us", "en-US"), ("pt-BR", "pt-BR"), ("zh-hant-tw", "zh-Hant-TW"), ("sr-Latn-RS", "sr-Latn-RS"),
        ("de-CH-1996", "de-CH-1996"), ("es-419", "es-419"), ("zh-yue-HK", "zh-yue-HK"), ("en-a-bbb-x-private", "en-a-bbb-x-private"),
        ("x-klingon", "x-klingon"), ("sl-rozaj-biske", "sl-rozaj-biske"),
    ])
    func acceptsWellFormedTagsInConventionalCase(_ input: String, _ canonical: String) throws {
        #expect(try LanguageTag(validating: input).rawValue == canonical)
    }

    @Test(arguments: [
        "", "e", "english language", "en_US", "en-", "-en", "en--US", "123", "en-US-a", "en-a-bb-a-cc", "en-x", "toolongtag", "english", "de-419-DE", "ελ",
    ])
    func refusesMalformedTags(_ input: String) {
        #expect {
            try LanguageTag(validating: input)
        } throws: { error in
            (error as? FerryError)?.field == "language"
        }
    }

    @Test func blogTitlesAreTrimmedAndBounded() throws {
        #expect(try Blog.validTitle("  Travels  ") == "Travels")
        #expect(throws: FerryError.self) { try Blog.validTitle(" ") }
        #expect(throws: FerryError.self) { try Blog.validTitle(String(repeating: "t", count: 201)) }
    }
}
