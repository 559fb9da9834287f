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
