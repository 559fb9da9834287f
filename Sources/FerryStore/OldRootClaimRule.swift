import FerryCore
import Foundation

/// What an import's claim on an old root comes to, given the claims already made on its host:
/// the rule both backends apply before writing.
public enum OldRootClaimRule {
    public enum Decision: Equatable, Sendable {
        /// Another identity holds a verified claim overlapping the root.
        case refused
        /// The identity's own claim on the root or on a root above it stands.
        case held(OldRootClaim)
        /// A new claim is made.
        case new
    }

    public static func decide(_ root: OldRoot, for identity: IdentityID, onHost claims: [OldRootClaim]) -> Decision {
        guard !claims.contains(where: { $0.identity != identity && $0.status == .verified && $0.root.overlaps(root) }) else { return .refused }
        let own = claims.filter { $0.identity == identity && $0.root.overlaps(root) && $0.root.path.count <= root.path.count }
        guard let held = own.first(where: { $0.status == .verified }) ?? own.max(by: { $0.root.path.count < $1.root.path.count }) else {
            return .new
        }
        return .held(held)
    }

    /// 128 random bits, in a form that fits a `<meta>` attribute and a file name alike.
    public static func newToken() -> String {
        "ferry-" + SessionToken.randomBytes(16).base64URLEncodedString()
    }
}
