import Foundation

// ferry's one place for UTC calendar dates: splitting an instant into its date and time
// (`CivilDay`), building one from them, and the text forms exports, feeds and HTTP use
// (`UTCDate`). Foundation's formatters are left for the rare spellings read nowhere else.

/// The UTC calendar date and time of day of an instant, computed with integer arithmetic
/// (Howard Hinnant's days-from-civil algorithm): imports turn every post's and comment's
/// time into text, and Foundation's calendars and formatters were a fifth of an import.
/// The calendar is the proleptic Gregorian one of RFC 3339; ICU's switches to the Julian
/// calendar before October 1582, so the two agree from then on.
public struct CivilDay: Equatable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
    /// Seconds since midnight.
    public let second: Int
    /// Milliseconds within the second, rounded as ICU's formatters round them.
    public let millisecond: Int

    /// Days since 1970-01-01.
    public let daysSinceEpoch: Int

    /// 0 for Sunday to 6 for Saturday (1970-01-01 was a Thursday).
    public var weekday: Int { Self.floorDivision(daysSinceEpoch + 4, 7).1 }

    public init(containing date: Date) {
        let milliseconds = Int(((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000 + 0.5).rounded(.down))
        let (days, inDay) = Self.floorDivision(milliseconds, 86_400_000)
        daysSinceEpoch = days
        second = inDay / 1000
        millisecond = inDay % 1000
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `yyyy-MM-dd HH:mm:ss.SSS`, the text GRDB stores for a `Date`.
    public var storedText: String {
        guard (0...9999).contains(year) else { return spelledOut }
        // Written into 23 bytes directly: imports store a time for every post and comment.
        return String(unsafeUninitializedCapacity: 23) { text in
            func put(_ value: Int, width: Int, at end: Int) {
                var value = value
                for index in stride(from: end - 1, through: end - width, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, width: 4, at: 4)
            put(month, width: 2, at: 7)
            put(day, width: 2, at: 10)
            put(second / 3600, width: 2, at: 13)
            put(second / 60 % 60, width: 2, at: 16)
            put(second % 60, width: 2, at: 19)
            put(millisecond, width: 3, at: 23)
            (text[4], text[7], text[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: " "))
            (text[13], text[16], text[19]) = (UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "."))
            return 23
        }
    }

    /// `storedText` for any year, digit by digit.
    private var spelledOut: String {
        Self.digits(year, 4) + "-" + Self.digits(month, 2) + "-" + Self.digits(day, 2) + " "
            + Self.digits(second / 3600, 2) + ":" + Self.digits(second / 60 % 60, 2) + ":" + Self.digits(second % 60, 2)
            + "." + Self.digits(millisecond, 3)
    }

    /// `value` in decimal, zero-padded to `width` digits.
    public static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (Int, Int) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }
}

/// Dates as the formats ferry reads and writes spell them, always in UTC.
public enum UTCDate {
    /// `date`, if it falls in a year a post's month can name (1 to 9999); nil otherwise.
    public static func storable(_ date: Date) -> Date? {
        (1...9999).contains(CivilDay(containing: date).year) ? date : nil
    }

    /// The instant of a UTC calendar date and time (days from the civil calendar, the
    /// inverse of `CivilDay`); nil when a field is out of range.
    public static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else {
            return nil
        }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// WordPress's `2023-01-16 07:08:31` (its `_gmt` fields).
    public static func wordpress(_ date: Date) -> String {
        String(CivilDay(containing: date).storedText.prefix(19))
    }

    /// RSS's `Mon, 16 Jan 2023 07:08:31 +0000`.
    public static func rfc822(_ date: Date) -> String { dayAndTime(date) + " +0000" }

    /// HTTP's IMF-fixdate, `Mon, 16 Jan 2023 07:08:31 GMT` (RFC 9110 §5.6.7).
    public static func http(_ date: Date) -> String { dayAndTime(date) + " GMT" }

    /// `[Ddd, ]d Mon yyyy HH:mm[:ss] (+hhmm|-hhmm|GMT|UT|UTC|Z)`: RSS dates and IMF-fixdate.
    public static func parseRFC822(_ text: String) -> Date? {
        var parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }
        guard parts.count == 5, let day = Int(parts[0]), let month = monthNumber(parts[1]), let year = Int(parts[2]),
            let base = date(year: year, month: month, day: day, clock: parts[3])
        else { return nil }
        let zone = parts[4]
        switch zone.uppercased() {
        case "GMT", "UT", "UTC", "Z": return base
        default:
            guard zone.count == 5, let sign = zone.first, sign == "+" || sign == "-", let value = Int(zone.dropFirst()) else { return nil }
            let offset = (value / 100 * 3_600 + value % 100 * 60) * (sign == "+" ? 1 : -1)
            return base.addingTimeInterval(TimeInterval(-offset))
        }
    }

    /// Any of the three forms RFC 9110 §5.6.7 asks recipients to read: IMF-fixdate, the
    /// obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
    public static func parseHTTP(_ text: String) -> Date? {
        if let date = parseRFC822(text) { return date }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if parts.count == 4, parts[0].hasSuffix(","), parts[3] == "GMT" {
            let pieces = parts[1].split(separator: "-")
            guard pieces.count == 3, pieces[2].count == 2, let day = Int(pieces[0]), let month = monthNumber(pieces[1]),
                let shortYear = Int(pieces[2])
            else { return nil }
            // Two-digit years: 70–99 are 1970–1999, 00–69 are 2000–2069, as HTTP libraries read them.
            return date(year: shortYear < 70 ? 2000 + shortYear : 1900 + shortYear, month: month, day: day, clock: parts[2])
        }
        guard parts.count == 5, let month = monthNumber(parts[1]), let day = Int(parts[2]), let year = Int(parts[4]) else { return nil }
        return date(year: year, month: month, day: day, clock: parts[3])
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// `Mon, 16 Jan 2023 07:08:31`.
    private static func dayAndTime(_ date: Date) -> String {
        let civil = CivilDay(containing: date)
        return weekdayNames[civil.weekday] + ", " + CivilDay.digits(civil.day, 2) + " " + monthNames[civil.month - 1] + " "
            + CivilDay.digits(civil.year, 4) + " " + CivilDay.digits(civil.second / 3600, 2) + ":"
            + CivilDay.digits(civil.second / 60 % 60, 2) + ":" + CivilDay.digits(civil.second % 60, 2)
    }

    private static func monthNumber(_ name: Substring) -> Int? {
        monthNames.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }.map { $0 + 1 }
    }

    /// The date at `HH:mm[:ss]` on a calendar day.
    private static func date(year: Int, month: Int, day: Int, clock: Substring) -> Date? {
        let clock = clock.split(separator: ":")
        guard clock.count == 2 || clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]) else { return nil }
        guard let second = clock.count == 3 ? Int(clock[2]) : 0 else { return nil }
        return date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// A formatter for spellings read too rarely to parse by hand (`EST`, `PDT`…): POSIX
    /// locale, UTC. DateFormatter is neither cheap nor Sendable: keep one per reader.
    public static func formatter(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter
    }
}
