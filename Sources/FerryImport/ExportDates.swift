import FerryCore
import Foundation

/// The date forms exports use. The common ones are read by hand: DateFormatter on Linux costs
/// tens of microseconds a call, which dominated imports of large exports. Unusual spellings
/// still go to a formatter. One instance per reader: DateFormatter is not thread-safe.
final class ExportDates {
    private lazy var rfc822Fallbacks = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd MMM yyyy HH:mm zzz", "dd MMM yyyy HH:mm:ss zzz"]
        .map(UTCDate.formatter)

    /// WordPress's `2023-01-16 07:08:31`, read as UTC; drafts carry `0000-00-00 00:00:00`, which is no date.
    func wordpressGMT(_ text: String?) -> Date? {
        guard let text = text?.trimmedText, !text.hasPrefix("0000") else { return nil }
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x20, bytes[13] == 0x3A, bytes[16] == 0x3A,
            let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]), let day = Self.number(bytes[8..<10]),
            let hour = Self.number(bytes[11..<13]), let minute = Self.number(bytes[14..<16]), let second = Self.number(bytes[17..<19])
        else { return nil }
        return UTCDate.date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// RSS's `Mon, 16 Jan 2023 07:08:31 +0000` and its common variants.
    func rfc822(_ text: String?) -> Date? {
        guard let text = text?.trimmedText, !text.isEmpty else { return nil }
        if let date = UTCDate.parseRFC822(text) { return date }
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

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard (0x30...0x39).contains(digit) else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }
}
