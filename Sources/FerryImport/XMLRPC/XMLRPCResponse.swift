import FerryCore
import FerryRender
import Foundation

/// The `methodResponse` documents ferry answers XML-RPC calls with: one value, or a fault.
public enum XMLRPCResponse {
    public static let contentType = "text/xml; charset=utf-8"

    public static func success(_ value: XMLRPCValue) -> String {
        var document = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n<methodResponse><params><param>"
        write(value, into: &document)
        return document + "</param></params></methodResponse>\n"
    }

    /// A fault as clients read them: `faultCode` (403 bad credentials, 401 not allowed, -32601
    /// unknown method, -32700 malformed) and `faultString`.
    public static func fault(code: Int, _ message: String) -> String {
        var document = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n<methodResponse><fault>"
        write(.structure(["faultCode": .int(code), "faultString": .string(message)]), into: &document)
        return document + "</fault></methodResponse>\n"
    }

    private static func write(_ value: XMLRPCValue, into document: inout String) {
        document += "<value>"
        switch value {
        case .int(let number): document += "<int>\(number)</int>"
        case .boolean(let flag): document += "<boolean>\(flag ? 1 : 0)</boolean>"
        case .string(let text): document += "<string>\(MarkupEscaping.text(text))</string>"
        case .double(let number): document += "<double>\(number)</double>"
        case .dateTime(let date): document += "<dateTime.iso8601>\(format(date))</dateTime.iso8601>"
        case .base64(let file):
            // Ferry's answers carry no files; one would be read whole here.
            let data = (try? Data(contentsOf: file.url, options: .alwaysMapped)) ?? Data()
            document += "<base64>\(data.base64EncodedString())</base64>"
        case .null: document += "<nil/>"
        case .array(let values):
            document += "<array><data>"
            for element in values { write(element, into: &document) }
            document += "</data></array>"
        case .structure(let members):
            document += "<struct>"
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                document += "<member><name>\(MarkupEscaping.text(name))</name>"
                write(member, into: &document)
                document += "</member>"
            }
            document += "</struct>"
        }
        document += "</value>"
    }

    /// `20260102T10:00:00`, in UTC: the compact form WordPress writes, which every client reads
    /// (python-wordpress-xmlrpc parses it with a fixed pattern that a zone would break).
    private static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", parts.year ?? 0) + two(parts.month) + two(parts.day) + "T" + two(parts.hour) + ":" + two(parts.minute) + ":"
            + two(parts.second)
    }
}
