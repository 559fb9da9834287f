import FerryCore
import Foundation
import NIOCore

/// A `multipart/form-data` body (RFC 7578), as a browser's form sends files, read as it
/// arrives: text fields are kept (within a byte budget), each file goes to the sink its field
/// asks for — a file on disk for an export, memory for a photo — which refuses it at its
/// limit, so nothing larger than the limit is ever held or the whole body awaited.
struct MultipartForm {
    /// The text fields by name; a repeated name keeps its first value.
    var fields: [String: String] = [:]
    /// The file parts that were received, by field name.
    var files: [String: FilePart] = [:]

    struct FilePart {
        var fileName: String
        var contentType: String
        var size: Int
    }

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

    /// Reads `body` to its end. `sink` is asked for each part that carries a file name (a nil
    /// answer skips the part); text fields may hold `fieldBytes` together.
    static func read(
        _ body: some AsyncSequence<ByteBuffer, any Error>, boundary: String, fieldBytes: Int,
        sink: (_ field: String, _ part: FilePart) throws -> (any MultipartSink)?
    ) async throws -> MultipartForm {
        var form = MultipartForm()
        var parser = MultipartParser(boundary: boundary)
        var current: (name: String, file: FilePart?, sink: (any MultipartSink)?, text: [UInt8])?
        var fieldBudget = fieldBytes
        let handle: (MultipartParser.Event) throws -> Void = { event in
            switch event {
            case .part(let disposition, let contentType):
                let name = MultipartParser.parameter("name", in: disposition) ?? ""
                guard let fileName = MultipartParser.parameter("filename", in: disposition) else {
                    current = (name, nil, nil, [])
                    return
                }
                let part = FilePart(fileName: fileName, contentType: contentType ?? "application/octet-stream", size: 0)
                // A form's file field with nothing chosen comes as an empty part without a name.
                let wanted = !fileName.isEmpty && form.files[name] == nil
                current = (name, part, wanted ? try sink(name, part) : nil, [])
            case .bytes(let bytes):
                guard var part = current else { return }
                if part.file != nil {
                    part.file?.size += bytes.count
                    try part.sink?.write(bytes)
                } else {
                    fieldBudget -= bytes.count
                    guard fieldBudget >= 0 else { throw FerryError(.tooLarge, "the form's text is larger than \(fieldBytes) bytes") }
                    part.text.append(contentsOf: bytes)
                }
                current = part
            case .partEnd:
                guard let part = current else { return }
                current = nil
                if let file = part.file {
                    if part.sink != nil { form.files[part.name] = file }
                } else if form.fields[part.name] == nil {
                    guard let text = String(validating: part.text, as: UTF8.self) else {
                        throw FerryError.invalid(part.name, "is not valid UTF-8 text")
                    }
                    form.fields[part.name] = text
                }
            }
        }
        for try await chunk in body {
            try parser.feed(chunk.readableBytesView, handle)
        }
        guard parser.isComplete else { throw FerryError(.malformedRequest, "the form ended before its closing boundary") }
        return form
    }
}

/// Where the bytes of a form's file go as they arrive.
protocol MultipartSink: AnyObject {
    func write(_ bytes: ArraySlice<UInt8>) throws
}

/// Writes a file to disk, refusing it past `limit` bytes.
final class FileSink: MultipartSink {
    private let handle: FileHandle
    private(set) var written = 0
    let limit: Int
    let tooLarge: FerryError

    init(file: URL, limit: Int, tooLarge: FerryError) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw FerryError.brokenInvariant("the upload could not be stored at \(file.path)")
        }
        handle = try FileHandle(forWritingTo: file)
        self.limit = limit
        self.tooLarge = tooLarge
    }

    deinit { try? handle.close() }

    func write(_ bytes: ArraySlice<UInt8>) throws {
        written += bytes.count
        guard written <= limit else { throw tooLarge }
        try handle.write(contentsOf: bytes)
    }
}

/// The parts of a `multipart/form-data` stream, one chunk at a time: each part's headers,
/// its bytes as they come (holding back only what might be the start of a boundary), its end.
struct MultipartParser {
    enum Event {
        case part(disposition: String, contentType: String?)
        case bytes(ArraySlice<UInt8>)
        case partEnd
    }

    private enum State { case preamble, afterBoundary, headers, body, done }

    private static let headerBytes = 8 * 1_024
    private let firstBoundary: [UInt8]
    private let delimiter: [UInt8]
    private var buffer: [UInt8] = []
    private var state = State.preamble

    init(boundary: String) {
        firstBoundary = Array("--\(boundary)".utf8)
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    var isComplete: Bool { state == .done }

    mutating func feed(_ chunk: some Collection<UInt8>, _ handle: (Event) throws -> Void) throws {
        buffer.append(contentsOf: chunk)
        var start = 0
        parsing: while true {
            switch state {
            case .preamble:
                guard let found = find(firstBoundary, from: start) else {
                    start = max(start, buffer.count - firstBoundary.count)
                    break parsing
                }
                (start, state) = (found, .afterBoundary)
            case .afterBoundary:
                guard buffer.count - start >= 2 else { break parsing }
                if buffer[start] == UInt8(ascii: "-"), buffer[start + 1] == UInt8(ascii: "-") {
                    (start, state) = (buffer.count, .done)
                    break parsing
                }
                guard let lineEnd = find(Self.lineBreak, from: start) else {
                    guard buffer.count - start < Self.headerBytes else { throw Self.malformed }
                    break parsing
                }
                (start, state) = (lineEnd, .headers)
            case .headers:
                let headersEnd: Int
                if buffer[start...].starts(with: Self.lineBreak) {
                    headersEnd = start + 2
                } else if let end = find(Self.lineBreak + Self.lineBreak, from: start) {
                    headersEnd = end
                } else {
                    guard buffer.count - start < Self.headerBytes else { throw Self.malformed }
                    break parsing
                }
                let lines = String(decoding: buffer[start..<headersEnd], as: UTF8.self).components(separatedBy: "\r\n")
                try handle(.part(disposition: Self.header("content-disposition", in: lines) ?? "", contentType: Self.header("content-type", in: lines)))
                (start, state) = (headersEnd, .body)
            case .body:
                if let end = find(delimiter, from: start) {
                    try handle(.bytes(buffer[start..<end - delimiter.count]))
                    try handle(.partEnd)
                    (start, state) = (end, .afterBoundary)
                } else {
                    let safe = max(start, buffer.count - delimiter.count + 1)
                    if safe > start { try handle(.bytes(buffer[start..<safe])) }
                    start = safe
                    break parsing
                }
            case .done:
                start = buffer.count
                break parsing
            }
        }
        buffer.removeFirst(start)
    }

    private static let lineBreak: [UInt8] = [0x0D, 0x0A]
    private static let malformed = FerryError(.malformedRequest, "the form's part headers are not well formed")

    /// The index just past the first `pattern` at or after `start`.
    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, buffer.count - start >= pattern.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var index = start
            let last = bytes.count - pattern.count
            while index <= last {
                guard let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
                index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + index, pattern, pattern.count) == 0 {
                    return index + pattern.count
                }
                index += 1
            }
            return nil
        }
    }

    private static func header(_ name: String, in lines: [String]) -> String? {
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// A parameter of a header value, as in `form-data; name="file"; filename="a.jpg"`.
    static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
