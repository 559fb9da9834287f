import AsyncHTTPClient
import FerrySeed
import FerryStore
import Foundation
import NIOCore
import NIOHTTP1

/// JSON over HTTP to a `ferry serve` process, for the tests that run one.
struct ServerClient: Sendable {
    let http: HTTPClient
    let base: String

    struct Answer: Sendable {
        var status: Int
        var body: Data

        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        }
    }

    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil, timeout: Int64 = 30) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await http.execute(request, timeout: .seconds(timeout))
        let body = try await response.body.collect(upTo: 1 << 24)
        return Answer(status: Int(response.status.code), body: Data(body.readableBytesView))
    }

    /// Signs in a seeded identity (they all have `Seeder.password`) and returns its token.
    func signIn(_ handle: String) async throws -> String {
        let answer = try await send(.POST, "/api/sessions", json: #"{"handle":"\#(handle)","password":"\#(Seeder.password)"}"#)
        guard answer.status == 200, let token = try answer.json()["token"] as? String else {
            throw ProcessError(message: "signing in \(handle) failed with \(answer.status)")
        }
        return token
    }
}
