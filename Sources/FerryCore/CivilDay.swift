import Foundation

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

    public init(containing date: Date) {
        let milliseconds = Int(((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000 + 0.5).rounded(.down))
        let (days, inDay) = Self.floorDivision(milliseconds, 86_400_000)
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
