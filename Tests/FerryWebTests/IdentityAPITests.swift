import FerryPostgres
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct IdentityAPITests {
    @Test func createsAnIdentityAndShowsItsProfile() async throws {
        try await withApp { client in
            let response = try await client.signUp("Alice", displayName: "  Alice Liddell ")
            #expect(response.status == .created)
            #expect(response.headers[.location] == "/api/me")
            let body = try response.json()
            #expect(body["handle"] as? String == "alice")
            #expect(body["displayName"] as? String == "Alice Liddell")
            #expect(body["profileURL"] as? String == "/people/alice")
            #expect(body["photoURL"] is NSNull)
            #expect(body["password"] == nil && body["passwordHash"] == nil)
        }
    }

    @Test(
        arguments: [
            (#"{"handle":"a","password":"long enough","displayName":"A"}"#, HTTPResponse.Status.unprocessableContent, "handle"),
            (#"{"handle":"no spaces","password":"long enough","displayName":"A"}"#, .unprocessableContent, "handle"),
            (#"{"handle":"alice","password":"short","displayName":"A"}"#, .unprocessableContent, "password"),
            (#"{"handle":"alice","password":"long enough","displayName":"   "}"#, .unprocessableContent, "displayName"),
            (#"{"handle":"alice","displayName":"A"}"#, .unprocessableContent, "password"),
            (#"{"handle":42,"password":"long enough","displayName":"A"}"#, .unprocessableContent, "handle"),
            (#"{"handle":"alice","password":"long enough","displayName":null}"#, .unprocessableContent, "displayName"),
            (#"{"handle":"alice","password":"long enough""#, .badRequest, nil),
            (#"["alice"]"#, .badRequest, nil),
            ("", .badRequest, nil),
        ] as [(String, HTTPResponse.Status, String?)])
    func refusesBadInputWithAProblemNamingTheField(_ json: String, _ status: HTTPResponse.Status, _ field: String?) async throws {
        try await withApp { client in
            let response = try await client.send(.post, "/api/identities", json: json)
            #expect(response.status == status)
            #expect(try response.problemField() == field)
            let problem = try response.json()
            #expect(problem["status"] as? Int == status.code)
            #expect((problem["detail"] as? String)?.isEmpty == false)
            #expect((problem["title"] as? String)?.isEmpty == false)
            #expect(problem["type"] is String)
            let me = try await client.send(.post, "/api/sessions", json: #"{"handle":"alice","password":"long enough"}"#)
            #expect(me.status == .unauthorized, "nothing was created")
        }
    }

    @Test func refusesInvalidUTF8() async throws {
        try await withApp { client in
            var body = ByteBuffer(string: #"{"handle":"alice","password":"long enough","displayName":""#)
            body.writeBytes([0xC3, 0x28, 0xFF])
            body.writeString(#""}"#)
            let response = try await client.executeRequest(uri: "/api/identities", method: .post, headers: [.contentType: "application/json"], body: body)
            #expect(response.status == .badRequest)
            #expect(try response.problemField() == nil)
        }
    }

    @Test func handlesAreTakenWhateverTheirCase() async throws {
        try await withApp { client in
            try await client.signUp("alice")
            let again = try await client.signUp("ALICE")
            #expect(again.status == .conflict)
            #expect(try again.problemField() == "handle")
            #expect(try again.json()["detail"] as? String == "the handle 'alice' is already taken")
        }
    }

    @Test func bodiesOverTheLimitGet413() async throws {
        try await withApp(configure: { $0.maxJSONBodyBytes = 1_024 }) { client in
            let padding = String(repeating: "x", count: 2_000)
            let response = try await client.send(.post, "/api/identities", json: #"{"handle":"alice","password":"long enough","displayName":"\#(padding)"}"#)
            #expect(response.status == .contentTooLarge)
            #expect(try response.json()["detail"] as? String == "the JSON body is larger than the limit of 1024 bytes")
        }
    }

    @Test func passwordsAreStoredOnlyAsBcryptHashes() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder) { client in
                try await client.signUp("alice", password: "a very secret phrase")
            }
            let everything: Data
            if let schema = StoreBackend.webDatabase(for: folder)?.schema {
                everything = Data(try await StoreBackend.query("SELECT row_to_json(i)::text FROM \(schema).identity i").joined().utf8)
            } else {
                let file = try Data(contentsOf: folder.appendingPathComponent("ferry.sqlite"))
                let wal = (try? Data(contentsOf: folder.appendingPathComponent("ferry.sqlite-wal"))) ?? Data()
                everything = file + wal
            }
            #expect(everything.range(of: Data("a very secret phrase".utf8)) == nil)
            #expect(everything.range(of: Data("$2b$04$".utf8)) != nil)
        }
    }
}
