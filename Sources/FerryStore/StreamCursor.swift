import Crypto
import FerryCore
import Foundation
import GRDB

/// Stream cursors that cannot be forged: `{activity id}.{HMAC}` over the viewer and the id,
/// keyed by this installation's secret. A cursor only works for the identity it was made for.
public struct StreamCursors: Sendable {
    /// Kept as bytes (`SymmetricKey` is not `Sendable`); a key is made for each use.
    private let secret: Data

    public init(key: Data) {
        secret = key
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The cursor for the page after the one that ended with `last`.
    public func cursor(after last: ActivityID, for viewer: IdentityID) -> String {
        "\(last.rawValue).\(mac(last, viewer).base64URLEncodedString())"
    }

    /// The activity id `cursor` carries, or nil if it was not made here for `viewer`.
    public func activityID(in cursor: String, for viewer: IdentityID) -> ActivityID? {
        let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count <= 19, let raw = Int64(parts[0]), raw > 0,
            let signature = Data(base64URLEncoded: String(parts[1]))
        else { return nil }
        let id = ActivityID(raw)
        // Constant-time comparison: the signature check leaks nothing about the right one.
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: message(id, viewer), using: key) ? id : nil
    }

    private func mac(_ id: ActivityID, _ viewer: IdentityID) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message(id, viewer), using: key))
    }

    private func message(_ id: ActivityID, _ viewer: IdentityID) -> Data {
        Data("stream:\(viewer.rawValue):\(id.rawValue)".utf8)
    }
}

extension AppDatabase {
    /// The signer of this installation's stream cursors.
    public func streamCursors() async throws -> StreamCursors {
        try await writer.read { db in
            guard let key = try Data.fetchOne(db, sql: "SELECT secret FROM site_secret WHERE name = 'stream-cursor'") else {
                throw FerryError.brokenInvariant("the database has no stream cursor key; its schema is incomplete")
            }
            return StreamCursors(key: key)
        }
    }
}

extension Data {
    init?(base64URLEncoded text: String) {
        guard text.utf8.count <= 64 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), data.base64URLEncodedString() == text else {
            // Unused low bits of the last character would let several spellings decode alike:
            // only the one this site writes is a cursor.
            return nil
        }
        self = data
    }
}
