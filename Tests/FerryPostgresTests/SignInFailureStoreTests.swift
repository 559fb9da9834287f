import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// Failed sign-ins recorded on one node hold the key back on every other.
@Suite struct SignInFailureStoreTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    let pace = SignInPace(freeFailures: 3, firstDelay: 1, longestDelay: 5, memory: 3600)

    @Test(arguments: StoreBackend.available)
    func failuresOnOneNodeMakeTheKeyWaitOnTheOther(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            for second in 0..<3 {
                try await nodes[0].recordSignInFailure(of: "handle:alice", pace: pace, at: now.addingTimeInterval(Double(second)))
            }
            #expect(
                try await nodes[1].signInFailures(of: ["handle:alice", "address:x"], at: now, memory: 3600) == [
                    "handle:alice": SignInFailures(count: 3, waitUntil: nil)
                ])
            try await nodes[1].recordSignInFailure(of: "handle:alice", pace: pace, at: now.addingTimeInterval(3))
            try await nodes[0].recordSignInFailure(of: "handle:alice", pace: pace, at: now.addingTimeInterval(4))
            #expect(
                try await nodes[0].signInFailures(of: ["handle:alice"], at: now, memory: 3600) == [
                    "handle:alice": SignInFailures(count: 5, waitUntil: now.addingTimeInterval(4 + 2))
                ])
            // Waits double up to the longest.
            for second in 5..<9 {
                try await nodes[second % 2].recordSignInFailure(of: "handle:alice", pace: pace, at: now.addingTimeInterval(Double(second)))
            }
            #expect(try await nodes[1].signInFailures(of: ["handle:alice"], at: now, memory: 3600)["handle:alice"]?.waitUntil == now.addingTimeInterval(8 + 5))

            try await nodes[1].forgetSignInFailures(of: "handle:alice")
            #expect(try await nodes[0].signInFailures(of: ["handle:alice"], at: now, memory: 3600) == [:])
        }
    }

    @Test(arguments: StoreBackend.available)
    func failuresAtOnceOnBothNodesAllCountAndOldOnesAreForgotten(_ backend: StoreBackend) async throws {
        try await backend.withStores(nodes: 2) { nodes in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for attempt in 0..<20 {
                    group.addTask { try await nodes[attempt % 2].recordSignInFailure(of: "address:203.0.113.5", pace: pace, at: now) }
                }
                try await group.waitForAll()
            }
            #expect(try await nodes[0].signInFailures(of: ["address:203.0.113.5"], at: now, memory: 3600)["address:203.0.113.5"]?.count == 20)
            let later = now.addingTimeInterval(3601)
            #expect(try await nodes[1].signInFailures(of: ["address:203.0.113.5"], at: later, memory: 3600) == [:])
            try await nodes[1].recordSignInFailure(of: "address:203.0.113.5", pace: pace, at: later)
            #expect(
                try await nodes[0].signInFailures(of: ["address:203.0.113.5"], at: later, memory: 3600) == [
                    "address:203.0.113.5": SignInFailures(count: 1, waitUntil: nil)
                ], "a failure after the memory starts the count afresh")
        }
    }
}
