import Foundation

/// The date forms exports use. The common ones are read by hand: DateFormatter on Linux costs
/// tens of microseconds a call, which dominated imports of large exports. Unusual spellings
/// still go to a formatter. One instance per reader: DateFormatter is not thread-safe.
final class ExportDates {
    private lazy var rfc822Fallbacks = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd MMM yyyy HH:mm zzz", "dd MMM yyyy HH:mm:ss zzz"]
        .map(ExportDates.formatter)

    /// WordPress's `2023-01-16 07:08:31`, read as UTC; drafts carry `0000-00-00 00:00:00`, which is no date.
    func wordpressGMT(_ text: String?) -> Date? {
        guard let text = text?.trimmedText, !text.hasPrefix("0000") else { return nil }
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x20, bytes[13] == 0x3A, bytes[16] == 0x3A,
              let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]), let day = Self.number(bytes[8..<10]),
              let hour = Self.number(bytes[11..<13]), let minute = Self.number(bytes[14..<16]), let second = Self.number(bytes[17..<19])
        else { return nil }
        return Self.utc(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// RSS's `Mon, 16 Jan 2023 07:08:31 +0000` and its common variants.
    func rfc822(_ text: String?) -> Date? {
        guard let text = text?.trimmedText, !text.isEmpty else { return nil }
        if let date = Self.parseRFC822(text) { return date }
        for formatter in rfc822Fallbacks {
            if let date = formatter.date(from: text) { return date }
        }
        return rfc3339(text)
    }

    /// Atom's RFC 3339 times, with or without fractional seconds.
    func rfc3339(_ text: String?) -> Date? {
        guard let text = text?.trimmedText, !text.isEmpty else { return nil }
        return (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `[Ddd, ]d Mon yyyy HH:mm[:ss] (+hhmm|-hhmm|GMT|UT|UTC|Z)`.
    static func parseRFC822(_ text: String) -> Date? {
        var parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }
        guard parts.count == 5, let day = Int(parts[0]), let month = months.firstIndex(of: parts[1].lowercased()).map({ $0 + 1 }),
              let year = Int(parts[2])
        else { return nil }
        let clock = parts[3].split(separator: ":")
        guard clock.count == 2 || clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]) else { return nil }
        let second = clock.count == 3 ? Int(clock[2]) : 0
        guard let second, let base = utc(year: year, month: month, day: day, hour: hour, minute: minute, second: second) else { return nil }
        let zone = parts[4]
        switch zone.uppercased() {
        case "GMT", "UT", "UTC", "Z": return base
        default:
            guard zone.count == 5, let sign = zone.first, sign == "+" || sign == "-", let value = Int(zone.dropFirst()) else { return nil }
            let offset = (value / 100 * 3_600 + value % 100 * 60) * (sign == "+" ? 1 : -1)
            return base.addingTimeInterval(TimeInterval(-offset))
        }
    }

    /// Days from the civil calendar (H. Hinnant's algorithm), without a Calendar.
    static func utc(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
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

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard (0x30...0x39).contains(digit) else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
