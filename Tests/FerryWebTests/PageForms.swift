import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A browser without script, signed in with its session cookie: it reads pages, and sends
/// their forms with the token the page carries, as a plain form or as multipart/form-data.
struct PageBrowser {
    let client: any TestClientProtocol
    let cookie: String

    static func signIn(_ handle: String, _ client: any TestClientProtocol) async throws -> PageBrowser {
        PageBrowser(client: client, cookie: try await client.signInCookie(handle))
    }

    func get(_ path: String) async throws -> TestResponse {
        try await client.send(.get, path, headers: [.cookie: cookie])
    }

    /// The token of the forms on the page at `path`.
    func token(_ path: String) async throws -> String {
        let page = try await get(path)
        guard let token = page.text.components(separatedBy: #"name="csrf" value=""#).dropFirst().first?.prefix(while: { $0 != "\"" }) else {
            throw HarnessError(message: "\(path) has no form token: \(page.status) \(page.text)")
        }
        return String(token)
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        return try await client.executeRequest(
            uri: path, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// Sends `fields` and `files` (field, file name, type, bytes) as multipart/form-data.
    func postMultipart(
        _ path: String, _ fields: [(String, String)], files: [(String, String, String, Data)] = [], headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        let boundary = "----ferryTestForm9b3c"
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, fileName, type, bytes) in files {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
            body += bytes + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        var headers = extra
        headers[.cookie] = cookie
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await client.executeRequest(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

extension TestResponse {
    /// The text of the error shown beside `field` (`<p class="error" id="FIELD-error">`), if any.
    func fieldError(_ field: String) -> String? {
        guard let start = text.range(of: #"id="\#(field)-error""#) else { return nil }
        let rest = text[start.upperBound...].drop { $0 != ">" }.dropFirst()
        let message = rest.prefix { $0 != "<" }
        return message.isEmpty ? nil : String(message)
    }
}
