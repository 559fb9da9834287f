import AsyncHTTPClient
import FerryCore
import FerrySeed
import FerryStore
import FerryWeb
import Foundation
import NIOHTTP1

/// The first benchmark: sign-in and `GET /api/me/contacts` under concurrent load against a
/// seeded database, each compared with `GET /healthz` measured in the same run — the cost of
/// a request that does no work, on the same machine, at the same moment.
public struct ContactsBenchmark: Sendable {
    public var configuration: FerryConfiguration
    public var identities: Int
    public var contactsEach: Int
    public var concurrency: Int
    public var requests: Int
    public var signIns: Int

    public init(configuration: FerryConfiguration, identities: Int, contactsEach: Int, concurrency: Int, requests: Int, signIns: Int) {
        self.configuration = configuration
        self.identities = identities
        self.contactsEach = contactsEach
        self.concurrency = concurrency
        self.requests = requests
        self.signIns = signIns
    }

    /// Seeds the data folder if it holds fewer identities than asked, runs the server on a free
    /// loopback port, drives the three phases, and returns their results, reference first.
    public func run(report: @escaping @Sendable (String) -> Void) async throws -> [PhaseResult] {
        let (identities, contactsEach, cost) = (self.identities, self.contactsEach, configuration.bcryptCost)
        try await withSeedDatabase(configuration) { database in
            let existing = try await database.identityCount()
            if existing < identities {
                report("seeding \(identities - existing) identities…")
                let hash = try await PasswordHasher(cost: cost).hash(Seeder.password)
                _ = try await database.seed(identities: identities - existing, contactsEach: contactsEach, passwordHash: hash)
            }
        }
        return try await BenchServer(configuration: configuration, concurrency: concurrency).run { client, base in
            try await phases(client: client, base: base, report: report)
        }
    }

    private func phases(client: HTTPClient, base: String, report: @Sendable (String) -> Void) async throws -> [PhaseResult] {
        report("reference: GET /healthz")
        let reference = await runPhase("healthz (reference)", client: client, total: requests, concurrency: concurrency) { _ in
            HTTPClientRequest(url: base + "/healthz")
        }
        report("sign-in: POST /api/sessions")
        let identities = self.identities
        let tokens = TokenJar()
        let signIn = await runPhase("sign-in", client: client, total: signIns, concurrency: concurrency) { index in
            signInRequest(base: base, handle: Seeder.handle((index * 7_919) % identities))
        }
        try await collectTokens(client: client, base: base, into: tokens, count: min(concurrency, identities))
        let held = await tokens.all
        guard !held.isEmpty else { throw BenchmarkError(message: "could not sign in any seeded identity") }
        report("contacts: GET /api/me/contacts")
        let contacts = await runPhase("contacts page", client: client, total: requests, concurrency: concurrency) { index in
            var request = HTTPClientRequest(url: base + "/api/me/contacts?limit=50")
            request.headers.add(name: "Authorization", value: "Bearer \(held[index % held.count])")
            return request
        }
        return [reference, signIn, contacts]
    }

    /// Signs in `count` different identities and keeps their tokens for the contacts phase.
    private func collectTokens(client: HTTPClient, base: String, into jar: TokenJar, count: Int) async throws {
        for index in 0..<count {
            let handle = Seeder.handle(index * max(1, identities / max(1, count)))
            if let token = try? await signIn(handle, client: client, base: base) { await jar.add(token) }
        }
    }
}

private actor TokenJar {
    private(set) var all: [String] = []
    func add(_ token: String) { all.append(token) }
}
