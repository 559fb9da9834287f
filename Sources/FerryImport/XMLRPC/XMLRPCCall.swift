import FerryCore
import Foundation

/// An XML-RPC `methodCall` read from a file, as hostile input: the stream reader refuses any
/// document type declaration (so every entity bomb and external entity) and never touches the
/// network; values nest at most `maxDepth` deep and number at most `maxValues`; a malformed
/// call is a `malformedRequest` error, which the endpoint answers with fault -32700.
public struct XMLRPCCall: Sendable, Equatable {
    public var method: String
    public var params: [XMLRPCValue]

    public static let maxDepth = 32
    public static let maxValues = 100_000

    public init(method: String, params: [XMLRPCValue]) {
        self.method = method
        self.params = params
    }

    /// The call in the file at `path`; its `base64` values are decoded into files in `spool`
    /// (`XMLRPCValue.base64`), which must exist and is the caller's to remove.
    public static func read(path: String, spool: URL) throws(FerryError) -> XMLRPCCall {
        do {
            var parser = Parser(reader: try XMLStreamReader(path: path), spool: spool)
            return try parser.call()
        } catch {
            throw FerryError(.malformedRequest, "the XML-RPC call is not well formed: \(error.message)", cause: error)
        }
    }

    private struct Parser {
        let reader: XMLStreamReader
        let spool: URL
        var values = 0
        var spooled = 0

        mutating func call() throws(FerryError) -> XMLRPCCall {
            guard try nextElement(), reader.localName == "methodCall" else { throw Self.malformed("the document is not a methodCall") }
            let depth = reader.depth
            var method: String?
            var params: [XMLRPCValue] = []
            while try reader.read() {
                switch reader.nodeType {
                case .element where reader.localName == "methodName":
                    method = try reader.elementText().trimmingCharacters(in: .whitespacesAndNewlines)
                case .element where reader.localName == "params":
                    params = try self.params()
                case .element:
                    try reader.skipElement()
                case .endElement where reader.depth == depth:
                    guard let method, !method.isEmpty else { throw Self.malformed("the call names no method") }
                    return XMLRPCCall(method: method, params: params)
                default:
                    continue
                }
            }
            throw Self.malformed("the call ends too soon")
        }

        private mutating func params() throws(FerryError) -> [XMLRPCValue] {
            let depth = reader.depth
            var params: [XMLRPCValue] = []
            while try reader.read() {
                switch reader.nodeType {
                case .element where reader.localName == "value":
                    params.append(try value(nesting: 0))
                case .endElement where reader.depth == depth:
                    return params
                default:
                    continue
                }
            }
            throw Self.malformed("the parameters end too soon")
        }

        /// The value whose `<value>` the reader is on; untyped text is a string.
        private mutating func value(nesting: Int) throws(FerryError) -> XMLRPCValue {
            values += 1
            guard nesting < XMLRPCCall.maxDepth, values <= XMLRPCCall.maxValues else {
                throw FerryError(.tooLarge, "the call nests deeper than \(XMLRPCCall.maxDepth) or holds more than \(XMLRPCCall.maxValues) values")
            }
            let depth = reader.depth
            var text = ""
            var typed: XMLRPCValue?
            while try reader.read() {
                switch reader.nodeType {
                case .text:
                    text += reader.text
                case .element:
                    guard typed == nil else { throw Self.malformed("a value holds two values") }
                    typed = try self.typed(reader.localName, nesting: nesting)
                case .endElement where reader.depth == depth:
                    return typed ?? .string(text)
                case .endElement:
                    continue
                }
            }
            throw Self.malformed("a value ends too soon")
        }

        private mutating func typed(_ name: String, nesting: Int) throws(FerryError) -> XMLRPCValue {
            switch name {
            case "string":
                return .string(try reader.elementText())
            case "i4", "int", "i8":
                guard let number = Int(try reader.elementText().trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw Self.malformed("an \(name) is not a whole number")
                }
                return .int(number)
            case "boolean":
                switch try reader.elementText().trimmingCharacters(in: .whitespacesAndNewlines) {
                case "1": return .boolean(true)
                case "0": return .boolean(false)
                default: throw Self.malformed("a boolean is neither 0 nor 1")
                }
            case "double":
                guard let number = Double(try reader.elementText().trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw Self.malformed("a double is not a number")
                }
                return .double(number)
            case "dateTime.iso8601":
                let text = try reader.elementText()
                guard let date = XMLRPCValue.parseDate(text) else { throw Self.malformed("'\(text.prefix(40))' is not an ISO 8601 date") }
                return .dateTime(date)
            case "base64":
                return .base64(try spoolBase64())
            case "nil":
                try reader.skipElement()
                return .null
            case "struct":
                return .structure(try members(nesting: nesting))
            case "array":
                return .array(try elements(nesting: nesting))
            default:
                throw Self.malformed("'\(name.prefix(40))' is not an XML-RPC type")
            }
        }

        private mutating func members(nesting: Int) throws(FerryError) -> [String: XMLRPCValue] {
            let depth = reader.depth
            var members: [String: XMLRPCValue] = [:]
            var name: String?
            var value: XMLRPCValue?
            while try reader.read() {
                switch reader.nodeType {
                case .element where reader.localName == "name":
                    name = try reader.elementText()
                case .element where reader.localName == "value":
                    value = try self.value(nesting: nesting + 1)
                case .endElement where reader.localName == "member":
                    guard let memberName = name, let memberValue = value else { throw Self.malformed("a struct member lacks its name or value") }
                    members[memberName] = memberValue
                    (name, value) = (nil, nil)
                default:
                    if reader.nodeType == .endElement, reader.depth == depth { return members }
                }
            }
            throw Self.malformed("a struct ends too soon")
        }

        private mutating func elements(nesting: Int) throws(FerryError) -> [XMLRPCValue] {
            let depth = reader.depth
            var elements: [XMLRPCValue] = []
            while try reader.read() {
                switch reader.nodeType {
                case .element where reader.localName == "value":
                    elements.append(try value(nesting: nesting + 1))
                case .endElement where reader.depth == depth:
                    return elements
                default:
                    continue
                }
            }
            throw Self.malformed("an array ends too soon")
        }

        /// Decodes the `base64` element the reader is on into a new file of the spool as it
        /// is read.
        private mutating func spoolBase64() throws(FerryError) -> SpooledFile {
            spooled += 1
            let url = spool.appendingPathComponent("value-\(spooled).bin")
            guard FileManager.default.createFile(atPath: url.path, contents: nil), let file = FileHandle(forWritingAtPath: url.path) else {
                throw FerryError.brokenInvariant("a base64 value could not be written to \(url.path)")
            }
            defer { try? file.close() }
            var decoder = Base64Stream()
            var size = 0
            func write(_ data: Data) throws(FerryError) {
                guard !data.isEmpty else { return }
                do { try file.write(contentsOf: data) } catch { throw FerryError.brokenInvariant("a base64 value could not be written: \(error)") }
                size += data.count
            }
            try reader.streamText { (text) throws(FerryError) in try write(try decoder.decode(text)) }
            try write(try decoder.finish())
            return SpooledFile(url: url, size: size)
        }

        /// Moves to the next element; false at the end.
        private func nextElement() throws(FerryError) -> Bool {
            while try reader.read() {
                if reader.nodeType == .element { return true }
            }
            return false
        }

        private static func malformed(_ reason: String) -> FerryError {
            FerryError(.malformedRequest, reason)
        }
    }
}
