import FerryCore
import Foundation

/// A value of XML-RPC (https://xmlrpc.com/spec.md), as desktop blog editors send and read them.
public indirect enum XMLRPCValue: Sendable, Equatable {
    case int(Int)
    case boolean(Bool)
    case string(String)
    case double(Double)
    case dateTime(Date)
    /// A `base64` value, decoded into a file as it arrived, so that a large upload never sits
    /// in memory.
    case base64(SpooledFile)
    case array([XMLRPCValue])
    case structure([String: XMLRPCValue])
    case null

    public var string: String? {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        default: nil
        }
    }

    /// Clients send numbers as `<int>` or as strings, and booleans as `<boolean>`, numbers or words.
    public var int: Int? {
        switch self {
        case .int(let value): value
        case .string(let value): Int(value.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    public var bool: Bool? {
        switch self {
        case .boolean(let value): value
        case .int(let value): value != 0
        case .string(let value): ["1", "true", "yes", "open"].contains(value.lowercased())
        default: nil
        }
    }

    public var array: [XMLRPCValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var structure: [String: XMLRPCValue]? {
        if case .structure(let members) = self { return members }
        return nil
    }

    public var date: Date? {
        if case .dateTime(let date) = self { return date }
        return string.flatMap { XMLRPCValue.parseDate($0) }
    }

    /// `dateTime.iso8601` as clients write it: `20260102T10:00:00`, with or without dashes,
    /// fractions and a zone (`Z`, `+02:00`, `+0200`). Without a zone it is read as UTC.
    public static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let tIndex = trimmed.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return nil }
        let day = trimmed[..<tIndex].filter { $0 != "-" }
        var rest = trimmed[trimmed.index(after: tIndex)...]
        guard day.count == 8, let year = Int(day.prefix(4)), let month = Int(day.dropFirst(4).prefix(2)), let date = Int(day.suffix(2)) else {
            return nil
        }
        var offset = 0
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            rest = rest.dropLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: sign)...].filter { $0 != ":" }
            guard zone.count == 4, let hours = Int(zone.prefix(2)), let minutes = Int(zone.suffix(2)) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (rest[sign] == "-" ? -1 : 1)
            rest = rest[..<sign]
        }
        let time = rest.split(separator: ".").first.map { $0.split(separator: ":") } ?? []
        guard time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: date, hour: hour, minute: minute, second: second)
        guard (1...12).contains(month), (1...31).contains(date), hour < 24, minute < 60, second < 61,
            let utc = calendar.date(from: components)
        else { return nil }
        return utc.addingTimeInterval(TimeInterval(-offset))
    }
}

/// A file a reader decoded a value into. It lies in the spool directory the call was read
/// with, which is the caller's to remove.
public struct SpooledFile: Sendable, Equatable {
    public var url: URL
    public var size: Int
}
