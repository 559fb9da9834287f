import FerryCore
import FerryStore

/// How an import claims the old roots its addresses lie under.
public struct ClaimPolicy: Sendable {
    /// The installation vouches for every importer (closed networks, tests): claims are
    /// verified at once.
    public var trustEveryImporter: Bool
    /// The site's own hosts: an export naming them records nothing there.
    public var ownHosts: Set<String>

    public init(trustEveryImporter: Bool = false, ownHosts: Set<String> = []) {
        self.trustEveryImporter = trustEveryImporter
        self.ownHosts = Set(ownHosts.map { OldAddress(host: $0, path: "").host })
    }
}

/// What became of a root an import's addresses lie under, for the report.
public struct ClaimOutcome: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case verified
        /// Recorded, but redirecting only once the owner proves control of the old site.
        case pending
        /// Nothing under the root was recorded: `reason` says why.
        case refused
    }

    public var root: String
    public var status: Status
    public var reason: String?
    /// For a pending claim: its id (`POST /api/claims/{id}/verify`) and the two ways to verify it.
    public var claim: Int64?
    public var metaElement: String?
    public var fileURL: String?

    init(_ claim: OldRootClaim) {
        root = claim.root.url
        status = claim.status == .verified ? .verified : .pending
        if claim.status == .pending {
            self.claim = claim.id
            metaElement = claim.metaElement
            fileURL = claim.fileURL
        }
    }

    init(refused root: String, reason: String) {
        self.root = root
        status = .refused
        self.reason = reason
    }
}

/// The roots one import claims. Each old address is recorded under the export's own root
/// when it lies there, else under its host's root (a feed address under its own path: feed
/// services host many blogs), and only if the importing owner may claim that root.
struct ClaimedRoots {
    let policy: ClaimPolicy
    private(set) var exportRoot: OldRoot?
    private var exportRootAllowed: Bool?
    private var decisions: [OldRoot: Bool] = [:]
    private(set) var outcomes: [ClaimOutcome] = []
    private(set) var refusedAddresses = 0

    init(policy: ClaimPolicy) {
        self.policy = policy
    }

    mutating func setExportRoot(_ root: OldRoot?) {
        exportRoot = root
        exportRootAllowed = nil
    }

    /// Whether `address` may be recorded for the batch's blog; claims its root the first time.
    mutating func mayRecord(_ address: OldAddress, feed: Bool = false, batch: any ImportBatch) throws -> Bool {
        let allowed: Bool
        if let exportRoot, exportRoot.covers(address) {
            if exportRootAllowed == nil { exportRootAllowed = try decide(exportRoot, batch: batch) }
            allowed = exportRootAllowed ?? false
        } else {
            let site = exportRoot ?? OldRoot(scheme: "http", address: address)
            let root = feed ? OldRoot(scheme: site.scheme, address: address) : site.root(ofHost: address)
            if let known = decisions[root] {
                allowed = known
            } else {
                allowed = try decide(root, batch: batch)
                decisions[root] = allowed
            }
        }
        if !allowed { refusedAddresses += 1 }
        return allowed
    }

    private mutating func decide(_ root: OldRoot, batch: any ImportBatch) throws -> Bool {
        if policy.ownHosts.contains(root.host) {
            outcomes.append(ClaimOutcome(refused: root.url, reason: "this is the address of this site, which never redirects"))
            return false
        }
        guard let claim = try batch.claim(root, trusted: policy.trustEveryImporter) else {
            outcomes.append(ClaimOutcome(refused: root.url, reason: "another identity has proven that this old blog is theirs"))
            return false
        }
        if !outcomes.contains(where: { $0.root == claim.root.url }) { outcomes.append(ClaimOutcome(claim)) }
        return true
    }
}
