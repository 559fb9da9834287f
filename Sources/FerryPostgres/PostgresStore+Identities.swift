import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: IdentityStore {
    public func createIdentity(handle: Handle, displayName: String, passwordHash: String, at now: Date) async throws -> Identity {
        do {
            let rows = try await client.query(
                """
                INSERT INTO identity (handle, passwordHash, displayName, createdAt, updatedAt)
                VALUES (\(handle.rawValue), \(passwordHash), \(displayName), \(now), \(now))
                RETURNING \(unescaped: Self.identityColumns)
                """, logger: logger)
            guard let identity = try await rows.decode(IdentityColumns.self).firstElement().map(Self.identity) else {
                throw FerryError.brokenInvariant("an inserted identity was not returned")
            }
            return identity
        } catch let error as PSQLError where error.isUniqueViolation {
            throw FerryError(.conflict, "the handle '\(handle)' is already taken", field: "handle")
        }
    }

    public func identity(_ id: IdentityID) async throws -> Identity? {
        try await client.query("SELECT \(unescaped: Self.identityColumns) FROM identity WHERE id = \(id.rawValue)", logger: logger)
            .decode(IdentityColumns.self).firstElement().map(Self.identity)
    }

    public func identity(handle: Handle) async throws -> Identity? {
        try await client.query("SELECT \(unescaped: Self.identityColumns) FROM identity WHERE handle = \(handle.rawValue)", logger: logger)
            .decode(IdentityColumns.self).firstElement().map(Self.identity)
    }

    public func credentials(handle: Handle) async throws -> Credentials? {
        try await client.query("SELECT id, passwordHash FROM identity WHERE handle = \(handle.rawValue)", logger: logger)
            .decode((Int64, String).self).firstElement()
            .map { Credentials(identityID: IdentityID($0.0), passwordHash: $0.1) }
    }

    public func updateProfile(of id: IdentityID, with update: ProfileUpdate, at now: Date) async throws -> Identity {
        let (identity, renamedBlogs, changed) = try await transaction { connection in
            let current = try await connection.query(
                "SELECT \(unescaped: Self.identityColumns) FROM identity WHERE id = \(id.rawValue) FOR UPDATE", logger: logger
            ).decode(IdentityColumns.self).firstElement().map(Self.identity)
            guard let current else { throw FerryError(.notFound, "no such identity") }
            let profile = try current.profile.applying(update)
            guard profile != current.profile else { return (current, [BlogID](), false) }
            try await connection.query(
                """
                UPDATE identity SET displayName = \(profile.displayName), bio = \(profile.bio), location = \(profile.location),
                    website = \(profile.website), photoURL = \(profile.photoURL), updatedAt = \(now)
                WHERE id = \(id.rawValue)
                """, logger: logger)
            var renamed: [BlogID] = []
            if profile.displayName != current.profile.displayName {
                renamed = try await connection.query("SELECT id FROM blog WHERE ownerId = \(id.rawValue)", logger: logger)
                    .decode(Int64.self).all().map(BlogID.init)
                try await recordChanges(renamed, on: connection)
            }
            try await recordProfileChange(id, on: connection)
            return (Identity(id: current.id, handle: current.handle, profile: profile, createdAt: current.createdAt), renamed, true)
        }
        if changed {
            await changes.announce(renamedBlogs)
            await changes.announceProfiles([id])
        }
        return identity
    }

    public func identityCount() async throws -> Int {
        try await client.query("SELECT COUNT(*) FROM identity", logger: logger).decode(Int.self).firstElement() ?? 0
    }

    typealias IdentityColumns = (Int64, String, String, String?, String?, String?, String?, Date)
    static let identityColumns = "id, handle, displayName, bio, location, website, photoURL, createdAt"

    static func identity(_ row: IdentityColumns) -> Identity {
        Identity(
            id: IdentityID(row.0), handle: Handle(trusted: row.1),
            profile: Profile(displayName: row.2, bio: row.3, location: row.4, website: row.5, photoURL: row.6),
            createdAt: row.7
        )
    }
}

extension PSQLError {
    /// A unique constraint refused the write (SQLSTATE 23505).
    var isUniqueViolation: Bool { serverInfo?[.sqlState] == "23505" }
}
