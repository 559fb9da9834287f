import FerryCore
import Foundation
import Testing

/// The hand-written UTC forms against Foundation's formatters, which they replace.
struct UTCDateTests {
    /// Instants from 1601 to 2999, spread by a prime step so every weekday, month, leap day
    /// and time of day comes up.
    private static let instants: [Date] = stride(from: -11_644_473_600, through: 32_503_680_000, by: 7_919_993).map {
        Date(timeIntervalSince1970: TimeInterval($0))
    }

    @Test func everyFormMatchesFoundationsFormatter() {
        let forms: [(String, (Date) -> String)] = [
            ("yyyy-MM-dd HH:mm:ss", UTCDate.wordpress),
            ("EEE, dd MMM yyyy HH:mm:ss '+0000'", UTCDate.rfc822),
            ("EEE, dd MMM yyyy HH:mm:ss 'GMT'", UTCDate.http),
        ]
        for (pattern, format) in forms {
            let formatter = UTCDate.formatter(pattern)
            for date in Self.instants {
                #expect(format(date) == formatter.string(from: date), "\(pattern) at \(date.timeIntervalSince1970)")
            }
        }
    }

    @Test func aCalendarDateRoundTrips() throws {
        for date in Self.instants {
            let civil = CivilDay(containing: date)
            let rebuilt = UTCDate.date(
                year: civil.year, month: civil.month, day: civil.day, hour: civil.second / 3600, minute: civil.second / 60 % 60, second: civil.second % 60
            )
            #expect(rebuilt == date)
        }
        #expect(UTCDate.date(year: 2026, month: 13, day: 1, hour: 0, minute: 0, second: 0) == nil)
        #expect(UTCDate.date(year: 2026, month: 1, day: 1, hour: 24, minute: 0, second: 0) == nil)
    }

    @Test func httpDatesAreReadInAllThreeFormsOfRFC9110() throws {
        let expected = try Date("1994-11-06T08:49:37Z", strategy: .iso8601)
        for text in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            #expect(UTCDate.parseHTTP(text) == expected, "\(text)")
        }
        #expect(UTCDate.parseHTTP("Thursday, 01-Jan-26 00:00:00 GMT") == (try Date("2026-01-01T00:00:00Z", strategy: .iso8601)))
        for junk in ["", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 31 Foo 1994 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT"] {
            #expect(UTCDate.parseHTTP(junk) == nil, "\(junk)")
        }
        #expect(UTCDate.parseHTTP(UTCDate.http(expected)) == expected)
    }
}
