import FerryCore
import FerryImport
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

@Suite struct OperationTests {
    @Test func oneLogLinePerRequestWithoutSecrets() async throws {
        let logs = InMemoryLogHandler()
        let tokens = TokenBox()
        try await withApp(logs: logs) { client in
            let token = try await client.newIdentity("alice")
            await tokens.set(token)
            _ = try await client.send(.get, "/api/me?secret=query", token: token)
            _ = try await client.send(.get, "/no/such/page")
        }
        let requests = logs.entries.filter { $0.message == "request" }
        let lines = requests.map { entry in
            ["http.method", "http.path", "http.status"].map { entry.metadata[$0]?.description ?? "-" }.joined(separator: " ")
        }
        #expect(
            lines == [
                "POST /api/identities 201", "POST /api/sessions 200", "GET /api/me 200", "GET /no/such/page 404",
            ])
        #expect(requests.allSatisfy { $0.metadata["http.duration_ms"] != nil })
        let everything = logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!everything.contains("correct horse"))
        #expect(!everything.contains("secret=query"))
        #expect(!everything.contains("Bearer"))
        let token = await tokens.value
        #expect(token.count == 43 && !everything.contains(token), "a session token reached the log")
    }

    @Test func reopeningTheDataFolderKeepsIdentitiesSessionsAndContacts() async throws {
        try await withTemporaryDirectory { folder in
            let tokens = TokenBox()
            try await withApp(data: folder) { client in
                let alice = try await client.newIdentity("alice")
                let bob = try await client.newIdentity("bob")
                _ = try await client.send(.patch, "/api/me", token: alice, json: #"{"photoURL":"https://photos.example/a.jpg"}"#)
                _ = try await client.send(.post, "/api/me/contacts", token: alice, json: #"{"handle":"bob"}"#)
                _ = try await client.send(.post, "/api/me/contacts/alice/accept", token: bob)
                await tokens.set(alice)
            }
            let alice = await tokens.value
            try await withApp(data: folder) { client in
                let me = try await client.send(.get, "/api/me", token: alice).json()
                #expect(me["photoURL"] as? String == "https://photos.example/a.jpg")
                let contacts = try await client.send(.get, "/api/me/contacts", token: alice).json()["contacts"] as? [[String: Any]]
                #expect(contacts?.first?["state"] as? String == "accepted")
                #expect(try await client.signIn("bob").isEmpty == false)
            }
        }
    }

    @Test func environmentVariablesConfigureTheService() throws {
        let configuration = try FerryConfiguration(environment: [
            "FERRY_HOST": "0.0.0.0", "FERRY_PORT": "9090", "FERRY_DATA": "/srv/ferry", "FERRY_PUBLIC": "/srv/public",
            "FERRY_BCRYPT_COST": "11", "FERRY_MAX_BODY_BYTES": "2048", "FERRY_SESSION_HOURS": "2", "FERRY_LOG_LEVEL": "DEBUG",
            "FERRY_MAX_MIGRATION_MEDIA": "500", "FERRY_MAX_MIGRATION_MEDIA_BYTES": "1048576", "UNRELATED": "x",
        ])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.dataDirectory.path == "/srv/ferry")
        #expect(configuration.publicDirectory.path == "/srv/public")
        #expect(configuration.bcryptCost == 11)
        #expect(configuration.maxJSONBodyBytes == 2048)
        #expect(configuration.sessionLifetime == .seconds(7_200))
        #expect(configuration.logLevel == .debug)
        #expect(configuration.migrationMediaLimits.maxMedia == 500)
        #expect(configuration.migrationMediaLimits.maxTotalBytes == 1 << 20)

        let defaults = try FerryConfiguration(environment: ["FERRY_PORT": ""])
        #expect(defaults.port == 8080)
        #expect(defaults.bcryptCost >= 10)
        #expect(defaults.maxJSONBodyBytes == 1 << 20)
        #expect(defaults.migrationMediaLimits.maxMedia == 10_000)
        #expect(defaults.migrationMediaLimits.maxTotalBytes == 5 << 30)
    }

    @Test(arguments: [
        ("FERRY_PORT", "eighty"), ("FERRY_PORT", "70000"), ("FERRY_BCRYPT_COST", "3"),
        ("FERRY_MAX_BODY_BYTES", "-1"), ("FERRY_LOG_LEVEL", "loud"),
    ])
    func badEnvironmentValuesAreNamed(_ name: String, _ value: String) {
        #expect {
            try FerryConfiguration(environment: [name: value])
        } throws: { error in
            (error as? FerryError)?.field == name
        }
    }
}

private actor TokenBox {
    var value = ""
    func set(_ token: String) { value = token }
}
