import ArgumentParser
import FerryCore
import FerryStore
import FerryWeb
import Foundation

/// The operator's view of who claims which old blog: `list`, and `approve` or `revoke` by id.
struct Claims: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, approve or revoke identities' claims on old blog addresses (only approved ones redirect).",
        subcommands: [List.self, Approve.self, Revoke.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every claim, those waiting for verification first.")

        @OptionGroup var options: ServerOptions

        func run() async throws {
            let claims = try await OpenedStore.with(try options.configuration()) { database in try await database.allClaims() }
            guard !claims.isEmpty else {
                print("No claims on old addresses.")
                return
            }
            for (claim, handle) in claims {
                let status = claim.status == .verified ? "verified (\(claim.verifiedBy ?? "?"))" : "waiting"
                print("\(claim.id)\t\(status)\t\(claim.root)\t@\(handle)")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Vouch for a claim: its old addresses redirect from now on.")

        @Argument(help: "The claim's id, from `ferry claims list`.")
        var id: Int64

        @OptionGroup var options: ServerOptions

        func run() async throws {
            try await Claims.change(id, options) { database, claim in
                guard try await database.verifyClaim(id, by: "operator") else {
                    throw ValidationError("another identity holds a verified claim on \(claim.root); revoke it first")
                }
                return "Approved: \(claim.root) redirects to its claimant's blogs."
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw a claim: its old addresses stop redirecting.")

        @Argument(help: "The claim's id, from `ferry claims list`.")
        var id: Int64

        @OptionGroup var options: ServerOptions

        func run() async throws {
            try await Claims.change(id, options) { database, claim in
                _ = try await database.revokeClaim(id)
                return "Revoked: \(claim.root) no longer redirects."
            }
        }
    }

    /// Finds the claim `id` and prints what `change` made of it.
    static func change(_ id: Int64, _ options: ServerOptions, _ change: (any Store, OldRootClaim) async throws -> String) async throws {
        let said = try await OpenedStore.with(try options.configuration()) { database in
            guard let claim = try await database.claim(id: id) else { throw ValidationError("there is no claim \(id)") }
            return try await change(database, claim)
        }
        print(said)
    }
}
