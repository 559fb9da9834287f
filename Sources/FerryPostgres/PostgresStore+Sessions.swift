import FerryCore
import FerryStore
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import PostgresNIO

extension PostgresStore: SessionStore {
    public func openSession(for identity: IdentityID, token: SessionToken, expiresAt: Date, at now: Date) async throws {
        try await transaction { connection in
            try await connection.query("DELETE FROM session WHERE identityId = \(identity.rawValue) AND expiresAt <= \(now)", logger: logger)
            try await connection.query(
                """
                INSERT INTO session (tokenHash, identityId, createdAt, expiresAt)
                VALUES (\(ByteBuffer(data: token.hash)), \(identity.rawValue), \(now), \(expiresAt))
                """, logger: logger)
        }
    }

    public func identityID(signedInBy token: SessionToken, at now: Date) async throws -> IdentityID? {
        try await client.query(
            "SELECT identityId FROM session WHERE tokenHash = \(ByteBuffer(data: token.hash)) AND expiresAt > \(now)", logger: logger
        ).decode(Int64.self).firstElement().map(IdentityID.init)
    }

    @discardableResult
    public func closeSession(_ token: SessionToken) async throws -> Bool {
        try await client.query("DELETE FROM session WHERE tokenHash = \(ByteBuffer(data: token.hash)) RETURNING 1", logger: logger)
            .decode(Int.self).firstElement() != nil
    }
}

extension PostgresStore: SiteSettingStore {
    public func fixedSetting(_ name: String, initial: String) async throws -> String {
        // Inserted or not, the row is there afterwards: the value read is the one recorded first.
        try await client.query("INSERT INTO site_setting (name, value) VALUES (\(name), \(initial)) ON CONFLICT (name) DO NOTHING", logger: logger)
        return try await client.query("SELECT value FROM site_setting WHERE name = \(name)", logger: logger)
            .decode(String.self).firstElement() ?? initial
    }

    public func streamCursors() async throws -> StreamCursors {
        guard
            let key = try await client.query("SELECT secret FROM site_secret WHERE name = 'stream-cursor'", logger: logger)
                .decode(ByteBuffer.self).firstElement()
        else {
            throw FerryError.brokenInvariant("the database has no stream cursor key; its schema is incomplete")
        }
        return StreamCursors(key: Data(buffer: key))
    }
}
