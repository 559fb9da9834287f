import FerryCore
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /api/blogs/{slug}/media`: photos and videos for posts, checked before they are kept.
struct MediaUploadTests {
    static func jpeg(_ size: Int, seed: UInt8 = 0) -> Data {
        Data([0xFF, 0xD8, 0xFF, 0xE0] + (0..<max(0, size - 4)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) })
    }

    private func upload(_ client: some TestClientProtocol, _ blog: String, _ data: Data, type: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: type]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.executeRequest(uri: "/api/blogs/\(blog)/media", method: .post, headers: headers, body: ByteBuffer(bytes: data))
    }

    @Test func anOwnerUploadsAPhotoThatTheBlogsReadersMayFetch() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            let bob = try await client.newIdentity("bob")
            try await client.createBlog("open", token: alice)
            try await client.createBlog("inner", token: alice, visibility: "private")
            let photo = Self.jpeg(3_000)

            let created = try await upload(client, "open", photo, type: "image/jpeg", token: alice)
            #expect(created.status == .created)
            let url = try #require(try created.json()["url"] as? String)
            #expect(url.hasPrefix("/media/") && url.hasSuffix(".jpg"))
            #expect(created.headers[.location] == url)
            #expect(try created.json()["size"] as? Int == 3_000)
            let fetched = try await client.send(.get, url)
            #expect(fetched.status == .ok && Data(fetched.body.readableBytesView) == photo && fetched.headers[.contentType] == "image/jpeg")

            let secret = Self.jpeg(2_000, seed: 9)
            let privateURL = try #require(try await upload(client, "inner", secret, type: "image/jpeg", token: alice).json()["url"] as? String)
            #expect(try await client.send(.get, privateURL).status == .notFound, "a private blog's upload stays private")
            #expect(try await client.send(.get, privateURL, token: alice).status == .ok)

            #expect(try await upload(client, "open", photo, type: "image/jpeg", token: nil).status == .unauthorized)
            #expect(try await upload(client, "open", photo, type: "image/jpeg", token: bob).status == .forbidden)
            #expect(try await upload(client, "inner", photo, type: "image/jpeg", token: bob).status == .notFound, "nor is it told to exist")
        }
    }

    @Test func typeSizeAndQuotaAreCheckedBeforeAnythingIsKept() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(
                data: folder,
                configure: {
                    $0.mediaUploads.maxBytes = 1_024
                    $0.mediaUploads.quotaBytes = 1_500
                }
            ) { client in
                let alice = try await client.newIdentity("alice")
                try await client.createBlog("notes", token: alice)

                let html = Data("<html><script>alert(1)</script></html>".utf8)
                #expect(try await upload(client, "notes", html, type: "text/html", token: alice).status == .unsupportedMediaType)
                let disguised = try await upload(client, "notes", html, type: "image/png", token: alice)
                #expect(disguised.status == .unprocessableContent)
                #expect(try disguised.problemField() == "body")
                #expect(try await upload(client, "notes", Self.jpeg(1_000), type: "image/png", token: alice).status == .unprocessableContent)
                let huge = try await upload(client, "notes", Self.jpeg(2_000), type: "image/jpeg", token: alice)
                #expect(huge.status == .contentTooLarge)

                #expect(try await upload(client, "notes", Self.jpeg(1_000), type: "image/jpeg", token: alice).status == .created)
                #expect(try await upload(client, "notes", Self.jpeg(1_000), type: "image/jpeg", token: alice).status == .created, "the same file counts once")
                let over = try await upload(client, "notes", Self.jpeg(1_000, seed: 3), type: "image/jpeg", token: alice)
                #expect(over.status == .contentTooLarge)
                #expect((try over.json()["detail"] as? String)?.contains("quota of 1500 bytes (1000 are used)") == true)
                #expect(try await upload(client, "notes", Self.jpeg(400, seed: 4), type: "image/jpeg", token: alice).status == .created, "what fits still does")
            }
            let media = folder.appendingPathComponent("media")
            let stored = try FileManager.default.subpathsOfDirectory(atPath: media.path).filter { $0.contains("/") }
            #expect(stored.count == 2, "only the two accepted files are kept: \(stored)")
            // Uploads are written to the spool as they arrive; none is left there, kept or refused.
            let spooled = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("uploads").path)
            #expect(spooled.isEmpty, "\(spooled)")
        }
    }

    /// A form as a browser posts it, `multipart/form-data`, without script.
    static func form(_ parts: [(name: String, filename: String?, type: String?, bytes: Data)], boundary: String = "----ferryForm7MA4YWxkTrZu0gW") -> Data {
        var body = Data()
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"" }
            if let type = part.type { head += "\r\nContent-Type: \(type)" }
            body += Data((head + "\r\n\r\n").utf8) + part.bytes + Data("\r\n".utf8)
        }
        return body + Data("--\(boundary)--\r\n".utf8)
    }

    @Test func aFormWithoutScriptUploadsItsFileField() async throws {
        try await withApp { client in
            let alice = try await client.newIdentity("alice")
            try await client.createBlog("notes", token: alice)
            let multipart = "multipart/form-data; boundary=----ferryForm7MA4YWxkTrZu0gW"
            // Bytes that look like the form's own syntax must come through untouched.
            let photo = Self.jpeg(600) + Data("\r\n--not-the-boundary\r\n\r\n".utf8) + Self.jpeg(100)
            let body = Self.form([("title", nil, nil, Data("Our trip".utf8)), ("file", "trip.jpg", "image/jpeg", photo)])
            let created = try await upload(client, "notes", body, type: multipart, token: alice)
            #expect(created.status == .created)
            let url = try #require(try created.json()["url"] as? String)
            #expect(Data(try await client.send(.get, url).body.readableBytesView) == photo)

            let onlyText = Self.form([("title", nil, nil, Data("no file".utf8))])
            let missing = try await upload(client, "notes", onlyText, type: multipart, token: alice)
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.problemField() == "file")
            let page = Self.form([("file", "page.html", "text/html", Data("<script>alert(1)</script>".utf8))])
            #expect(try await upload(client, "notes", page, type: multipart, token: alice).status == .unsupportedMediaType)
            let garbage = try await upload(client, "notes", Data("not a form at all".utf8), type: multipart, token: alice)
            #expect(garbage.status == .badRequest)
            #expect(garbage.text.contains("closing boundary"))
        }
    }
}
