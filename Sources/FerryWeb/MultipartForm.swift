import Foundation

/// The file of a `multipart/form-data` body (RFC 7578), as a browser's form without script
/// sends it: the part named `file`, or else the first part that carries a file name.
struct MultipartFile {
    var contentType: String
    var bytes: Data

    /// The boundary of a `multipart/form-data` Content-Type, if it is one.
    static func boundary(of contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parameters.dropFirst() where parameter.lowercased().hasPrefix("boundary=") {
            let value = parameter.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// The file in `body`, or nil when the body holds none (or is not well formed).
    static func file(in body: Data, boundary: String) -> MultipartFile? {
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n--\(boundary)".utf8)
        guard var cursor = body.range(of: delimiter)?.upperBound else { return nil }
        var fallback: MultipartFile?
        while body[cursor...].starts(with: Data("\r\n".utf8)) {
            let start = cursor + 2
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: start..<body.endIndex),
                let end = body.range(of: separator, in: headerEnd.upperBound..<body.endIndex)
            else { return fallback }
            let headers = String(decoding: body[start..<headerEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            let disposition = header("content-disposition", in: headers) ?? ""
            let part = MultipartFile(
                contentType: header("content-type", in: headers) ?? "application/octet-stream", bytes: body[headerEnd.upperBound..<end.lowerBound]
            )
            if parameter("name", in: disposition) == "file" { return part }
            if fallback == nil, parameter("filename", in: disposition) != nil { fallback = part }
            cursor = end.upperBound
        }
        return fallback
    }

    private static func header(_ name: String, in lines: [String]) -> String? {
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// A parameter of a header value, as in `form-data; name="file"; filename="a.jpg"`.
    private static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
