import FerryCore
import FerryImport
import FerryTestSupport
import Foundation
import Testing

/// XML-RPC calls as desktop editors send them, and as attackers might.
@Suite struct XMLRPCCallTests {
    private func read(_ document: String) async throws -> XMLRPCCall {
        try await read(Data(document.utf8))
    }

    private func read(_ bytes: Data) async throws -> XMLRPCCall {
        try await withTemporaryDirectory { folder in try read(bytes, in: folder) }
    }

    /// The call in `bytes`, its base64 values decoded into files in `folder`.
    private func read(_ bytes: Data, in folder: URL) throws -> XMLRPCCall {
        let file = folder.appendingPathComponent("call.xml")
        try bytes.write(to: file)
        return try XMLRPCCall.read(path: file.path, spool: folder)
    }

    /// The bytes a `base64` value was decoded into.
    private func bytes(_ value: XMLRPCValue?) throws -> Data {
        guard case .base64(let file) = value else { throw FerryError.invalid("bits", "is not base64") }
        let data = try Data(contentsOf: file.url)
        #expect(data.count == file.size)
        return data
    }

    @Test func everyTypeIsReadAsClientsWriteIt() async throws {
        try await withTemporaryDirectory { folder in try everyType(in: folder) }
    }

    private func everyType(in folder: URL) throws {
        let call = try read(
            Data(
                """
                <?xml version="1.0"?>
                <methodCall><methodName> metaWeblog.newPost </methodName><params>
                  <param><value>notes</value></param>
                  <param><value><string>alice &amp; co</string></value></param>
                  <param><value><struct>
                    <member><name>title</name><value>Sea</value></member>
                    <member><name>n</name><value><i4>-7</i4></value></member>
                    <member><name>big</name><value><i8>4000000000</i8></value></member>
                    <member><name>ok</name><value><boolean>1</boolean></value></member>
                    <member><name>ratio</name><value><double>0.5</double></value></member>
                    <member><name>when</name><value><dateTime.iso8601>20260102T10:00:00</dateTime.iso8601></value></member>
                    <member><name>bits</name><value><base64>aGVs
                    bG8=</base64></value></member>
                    <member><name>tags</name><value><array><data><value>a</value><value><string>b</string></value></data></array></value></member>
                    <member><name>none</name><value><nil/></value></member>
                    <member><name>empty</name><value></value></member>
                  </struct></value></param>
                </params></methodCall>
                """.utf8), in: folder)
        #expect(call.method == "metaWeblog.newPost")
        #expect(call.params.count == 3)
        #expect(call.params[1] == .string("alice & co"))
        let post = try #require(call.params[2].structure)
        #expect(post["title"] == .string("Sea"))
        #expect(post["n"] == .int(-7))
        #expect(post["big"] == .int(4_000_000_000))
        #expect(post["ok"] == .boolean(true))
        #expect(post["ratio"] == .double(0.5))
        #expect(post["when"] == .dateTime(Date(timeIntervalSince1970: 1_767_348_000)))
        #expect(try bytes(post["bits"]) == Data("hello".utf8))
        #expect(post["tags"] == .array([.string("a"), .string("b")]))
        #expect(post["none"] == .null)
        #expect(post["empty"] == .string(""))
    }

    @Test(arguments: ["20260102T10:00:00", "2026-01-02T10:00:00Z", "20260102T12:00:00+02:00", "20260102T09:30:00-0030", "20260102T10:00:00.000Z"])
    func datesWithAndWithoutAZoneAreUTC(_ text: String) {
        #expect(XMLRPCValue.parseDate(text) == Date(timeIntervalSince1970: 1_767_348_000))
    }

    @Test(arguments: ["2026-01-02", "20261302T10:00:00", "yesterday", "20260102T25:00:00"])
    func notADateIsNone(_ text: String) {
        #expect(XMLRPCValue.parseDate(text) == nil)
    }

    @Test func hostileCallsAreRefused() async throws {
        let bomb = #"<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><methodCall><methodName>&b;</methodName></methodCall>"#
        let external = #"<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodCall><methodName>&x;</methodName></methodCall>"#
        for document in [bomb, external, "<methodCall>", "<notACall/>", "<methodCall><params/></methodCall>", "no xml at all"] {
            await #expect(throws: FerryError.self) { try await read(document) }
        }
        let deep =
            "<methodCall><methodName>m</methodName><params><param>" + String(repeating: "<value><array><data>", count: 40)
            + String(repeating: "</data></array></value>", count: 40) + "</param></params></methodCall>"
        let error = await #expect(throws: FerryError.self) { try await read(deep) }
        #expect(error?.message.contains("nests deeper") == true)
        let badUTF8 =
            Data("<methodCall><methodName>m</methodName><params><param><value>".utf8) + Data([0xC3, 0x28])
            + Data("</value></param></params></methodCall>".utf8)
        await #expect(throws: FerryError.self) { try await read(badUTF8) }
        await #expect(throws: FerryError.self) {
            try await read("<methodCall><methodName>m</methodName><params><param><value><int>seven</int></value></param></params></methodCall>")
        }
    }

    /// An upload larger than any text the reader collects (10 MB) is decoded into its file as
    /// it is read, whatever the line length and wherever the reader's pieces end; a group
    /// without its padding is read as if it had it; what is not base64 is refused.
    @Test func largeBase64IsDecodedIntoAFileAsItIsRead() async throws {
        try await withTemporaryDirectory { folder in
            var video = Data(count: 12 << 20)
            for index in stride(from: 0, to: video.count, by: 4_093) { video[index] = UInt8(truncatingIfNeeded: index / 7) }
            let encoded = video.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            let call = try read(
                Data(
                    #"<methodCall><methodName>metaWeblog.newMediaObject</methodName><params><param><value><struct><member><name>bits</name><value><base64>"#
                        .utf8)
                    + Data(encoded.utf8)
                    + Data(
                        "</base64></value></member><member><name>type</name><value>video/mp4</value></member></struct></value></param></params></methodCall>"
                            .utf8),
                in: folder)
            let members = try #require(call.params.first?.structure)
            #expect(try bytes(members["bits"]) == video)
            #expect(members["type"] == .string("video/mp4"))

            let unpadded = try read(
                Data("<methodCall><methodName>m</methodName><params><param><value><base64>aGVsbG8</base64></value></param></params></methodCall>".utf8),
                in: folder)
            #expect(try bytes(unpadded.params.first) == Data("hello".utf8))
            for text in ["aGVs*G8=", "a", "aGVsbG8=aGVs!"] {
                #expect(throws: FerryError.self) {
                    try read(
                        Data("<methodCall><methodName>m</methodName><params><param><value><base64>\(text)</base64></value></param></params></methodCall>".utf8),
                        in: folder)
                }
            }
        }
    }

    @Test func responsesAreWrittenForClientsToRead() {
        let response = XMLRPCResponse.success(
            .structure(["title": .string("<Sea & sun>"), "when": .dateTime(Date(timeIntervalSince1970: 1_767_348_000)), "ok": .boolean(true)]))
        #expect(response.contains("<member><name>title</name><value><string>&lt;Sea &amp; sun&gt;</string></value></member>"))
        #expect(response.contains("<dateTime.iso8601>20260102T10:00:00</dateTime.iso8601>"))
        #expect(response.contains("<boolean>1</boolean>"))
        let fault = XMLRPCResponse.fault(code: -32601, "no such method")
        #expect(fault.contains("<fault><value><struct><member><name>faultCode</name><value><int>-32601</int></value></member>"))
    }
}
