import FerryCore
import Foundation
import Testing

@Suite struct PostSlugTests {
    @Test(arguments: [
        ("Hello, World!", "hello-world"),
        ("  Crème brûlée à la française  ", "creme-brulee-a-la-francaise"),
        ("Straße und Œuvre, Søren & Łódź", "strasse-und-oeuvre-soren-lodz"),
        ("Don't stop", "dont-stop"),
        ("Привет, мир", "привет-мир"),
        ("日本語のタイトル", "日本語のタイトル"),
        ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
        ("مرحبا بالعالم", "مرحبا-بالعالم"),
        ("2026: a year in review", "2026-a-year-in-review"),
        ("🎉🎉🎉", "untitled"),
        ("", "untitled"),
        ("../../etc/passwd", "etc-passwd"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
    ])
    func readableSlugsFromTitles(_ title: String, _ expected: String) {
        #expect(PostSlug(title: title).rawValue == expected)
    }

    @Test func longTitlesAreCutAtAWordBoundary() {
        let slug = PostSlug(title: String(repeating: "word ", count: 40)).rawValue
        #expect(slug.count <= PostSlug.lengthLimit)
        #expect(!slug.hasSuffix("-"))
        #expect(slug.hasSuffix("word"))
        #expect(PostSlug(title: String(repeating: "x", count: 500)).rawValue.count == PostSlug.lengthLimit)
    }

    @Test func slugsOnlyEverHoldLettersDigitsAndHyphens() {
        for title in ["a/b\\c?d#e%f", "tab\tnew\nline", "a..b", "\u{202E}rtl override"] {
            let slug = PostSlug(title: title).rawValue
            #expect(
                slug.unicodeScalars.allSatisfy {
                    $0 == "-" || $0.properties.isAlphabetic || $0.properties.numericType != nil || $0.properties.generalCategory == .nonspacingMark
                        || $0.properties.generalCategory == .spacingMark
                }, "\(slug)")
        }
    }
}

@Suite struct TagAndMonthTests {
    @Test func tagsAreTrimmedAndDeduplicatedIgnoringCase() throws {
        #expect(try Tags.valid([" Travel ", "travel", "Food", "FOOD", "日本"]) == ["Travel", "Food", "日本"])
    }

    @Test func badTagsNameTheirPosition() {
        #expect(throws: FerryError.invalid("tags[1]", "must not be empty")) { try Tags.valid(["ok", "  "]) }
        #expect(throws: FerryError.self) { try Tags.valid(["line\nbreak"]) }
        #expect(throws: FerryError.self) { try Tags.valid([String(repeating: "x", count: 61)]) }
        #expect(throws: FerryError.self) { try Tags.valid((0...30).map { "tag\($0)" }) }
    }

    @Test func monthsComeFromUTC() throws {
        let lateOnNewYearsEve = try Date("2025-12-31T23:30:00-05:00", strategy: .iso8601)
        let month = PostMonth(containing: lateOnNewYearsEve)
        #expect(month.key == "2026-01")
        #expect(month.path == "2026/01")
        #expect(PostMonth(key: "2026-01") == month)
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", "", "abcd-ef"] {
            #expect(PostMonth(key: bad) == nil, "\(bad)")
        }
    }
}

@Suite struct CivilDayTests {
    /// The formatter GRDB stores dates with: `CivilDay` must write exactly the same text.
    static let storage: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return formatter
    }()

    @Test func writesDatesAsTheDatabaseStoresThem() {
        var generator = SystemRandomNumberGenerator()
        let edges: [TimeInterval] = [0, -1, -0.0005, 951_782_400, 4_107_542_399.999, -12_219_292_800, 1_700_000_000.1239]
        // From the Gregorian calendar's first day (1582-10-15) to the end of year 9999.
        let random = (0..<2_000).map { _ in
            TimeInterval(Int64.random(in: -12_219_292_800...253_402_300_799, using: &generator)) + Double.random(in: 0..<1, using: &generator)
        }
        for seconds in edges + random {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(CivilDay(containing: date).storedText == Self.storage.string(from: date), "\(seconds)")
        }
    }

    @Test func monthsFollowTheUTCCalendar() {
        #expect(PostMonth(containing: Date(timeIntervalSince1970: 951_782_399)).key == "2000-02")
        #expect(PostMonth(containing: Date(timeIntervalSince1970: 951_868_800)).key == "2000-03")
        #expect(PostMonth(containing: Date(timeIntervalSince1970: -1)).path == "1969/12")
    }

    @Test func anEditIsSubstantialWhenItsWordsTitleOrMediaChange() {
        func post(_ title: String, _ content: String) -> Post {
            Post(
                id: PostID(1), blogID: BlogID(1), entryID: "x", month: PostMonth(containing: Date()), slug: PostSlug(trusted: "x"),
                title: title, content: content, tags: [], publishedAt: Date(), updatedAt: Date()
            )
        }
        let long = "<p>" + String(repeating: "word ", count: 60) + "</p>"
        #expect(PostEdit.readableText("<p>Guten\n  <b>Tag</b></p><p>&amp; mehr</p>") == "Guten Tag&amp; mehr", "entities stay: the text is still HTML")
        #expect(!PostEdit(from: post("T", long), to: post("T", long.replacingOccurrences(of: "<p>", with: "<p>\n"))).isSubstantial)
        #expect(!PostEdit(from: post("T", long), to: post("T", long.replacingOccurrences(of: "word </p>", with: "wort </p>"))).isSubstantial)
        #expect(PostEdit(from: post("T", long), to: post("U", long)).isSubstantial)
        #expect(PostEdit(from: post("T", long), to: post("T", long + #"<img src="/media/a.jpg">"#)).isSubstantial)
        #expect(PostEdit(from: post("T", long), to: post("T", long + "<p>Twenty more characters here.</p>")).isSubstantial)
        // A short post: a tenth of its text is enough.
        #expect(PostEdit(from: post("T", "<p>Back on Monday</p>"), to: post("T", "<p>Back on Friday</p>")).isSubstantial)
        #expect(!PostEdit(from: post("T", "<p>Back on Monday</p>"), to: post("T", "<p>Back on Monday.</p>")).isSubstantial)
    }

    @Test func excerptsCutAtAWordAndNeverInsideAnEntity() {
        #expect(PostEdit.excerpt("<p>Short &amp; <b>sweet</b></p>", length: 280) == "Short &amp; sweet")
        #expect(PostEdit.excerpt("<p>one two three four</p>", length: 10) == "one two…")
        #expect(PostEdit.excerpt("<p>fish&amp;chips</p>", length: 7) == "fish…")
        #expect(PostEdit.excerpt("<p>abcdefghijkl</p>", length: 5) == "abcde…")
        #expect(PostEdit.excerpt("<p>Grüße aus 日本 und mehr</p>", length: 12) == "Grüße aus 日本…")
    }

    @Test func importedTitlesAndNamesAreCleanedNotRefused() {
        #expect(Post.importedTitle("Plain title") == "Plain title")
        #expect(Post.importedTitle("  Padded\t") == "Padded")
        #expect(Post.importedTitle("Two\nlines\u{0}and\u{7F}more") == "Two lines and more")
        #expect(Post.importedTitle("C1\u{85}next\u{2028}line") == "C1 next line")
        #expect(Post.importedTitle("\u{A0}Grüße’s\u{3000}") == "Grüße’s")
        #expect(Post.importedTitle(" \n\u{0} ") == "(untitled)")
        #expect(Post.importedTitle(String(repeating: "é", count: Post.titleLimit + 5)).count == Post.titleLimit)
        #expect(Post.importedTitle(String(repeating: "a", count: Post.titleLimit)).count == Post.titleLimit)
        #expect(Comment.importedName("\u{1B}[31m Eve ") == "[31m Eve")
        #expect(Comment.importedName("") == "Anonymous")
        #expect("  x y  ".trimmingWhiteSpace() == "x y")
        #expect("x".trimmingWhiteSpace() == "x")
        #expect("\u{2003}x\u{2003}".trimmingWhiteSpace() == "x")
    }

    @Test func asciiTitlesGiveTheSlugsTheUnicodeRulesGive() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09 -_'.,!?&/\"<>()[]:;\t")
        for _ in 0..<2_000 {
            let title = String((0..<Int.random(in: 0...120, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            // A trailing em dash is a separator, and sends the title down the Unicode path.
            #expect(PostSlug(title: title) == PostSlug(title: title + "\u{2014}"), "\(title)")
        }
        #expect(PostSlug(title: "Don't Stop: 2 Believin'").rawValue == "dont-stop-2-believin")
    }
}
