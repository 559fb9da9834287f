import Foundation

/// The date forms exports use. One instance per reader: DateFormatter is not thread-safe.
final class ExportDates {
    private let wordpress = ExportDates.formatter("yyyy-MM-dd HH:mm:ss")
    private let rfc822 = ["EEE, dd MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z", "EEE, dd MMM yyyy HH:mm Z", "EEE, dd MMM yyyy HH:mm:ss zzz"]
        .map(ExportDates.formatter)

    /// WordPress's `2023-01-16 07:08:31`, read as UTC; drafts carry `0000-00-00 00:00:00`, which is no date.
    func wordpressGMT(_ text: String?) -> Date? {
        guard let text = text?.trimmedText, !text.isEmpty, !text.hasPrefix("0000") else { return nil }
        return wordpress.date(from: text)
    }

    /// RSS's `Mon, 16 Jan 2023 07:08:31 +0000` and its common variants.
    func rfc822(_ text: String?) -> Date? {
        guard let text = text?.trimmedText, !text.isEmpty else { return nil }
        for formatter in rfc822 {
            if let date = formatter.date(from: text) { return date }
        }
        return try? Date(text, strategy: .iso8601)
    }

    /// Atom's RFC 3339 times, with or without fractional seconds.
    func rfc3339(_ text: String?) -> Date? {
        guard let text = text?.trimmedText, !text.isEmpty else { return nil }
        return (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
