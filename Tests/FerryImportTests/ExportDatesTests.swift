import Foundation
import Testing

@testable import FerryImport

@Suite struct ExportDatesTests {
    let dates = ExportDates()

    @Test(arguments: [
        ("2023-01-16 07:08:31", "2023-01-16T07:08:31Z"),
        ("2000-02-29 23:59:59", "2000-02-29T23:59:59Z"),
        ("1969-12-31 23:00:00", "1969-12-31T23:00:00Z"),
        ("2100-03-01 00:00:00", "2100-03-01T00:00:00Z"),
    ])
    func wordpressDatesAreUTC(_ text: String, _ expected: String) throws {
        #expect(dates.wordpressGMT(text) == (try Date(expected, strategy: .iso8601)))
    }

    @Test func draftsAndJunkHaveNoDate() {
        for text in ["0000-00-00 00:00:00", "", "2023-13-01 00:00:00", "2023-01-16T07:08:31", "yesterday"] {
            #expect(dates.wordpressGMT(text) == nil, "\(text)")
        }
    }

    @Test(arguments: [
        ("Mon, 16 Jan 2023 07:08:31 +0000", "2023-01-16T07:08:31Z"),
        ("Tue, 02 Mar 2010 10:00:00 +0100", "2010-03-02T09:00:00Z"),
        ("2 Mar 2010 10:00:00 -0530", "2010-03-02T15:30:00Z"),
        ("Tue, 02 Mar 2010 10:00 GMT", "2010-03-02T10:00:00Z"),
        ("Tue, 02 Mar 2010 10:00:00 EST", "2010-03-02T15:00:00Z"),
        ("2010-03-02T10:00:00Z", "2010-03-02T10:00:00Z"),
    ])
    func rssDatesInTheirCommonSpellings(_ text: String, _ expected: String) throws {
        #expect(dates.rfc822(text) == (try Date(expected, strategy: .iso8601)))
    }
}
