import FerryCore
import Foundation
import GRDB

/// What sign-in needs to check a password: never leaves the server.
public struct Credentials: Sendable {
    public var identityID: IdentityID
    public var passwordHash: String

    public init(identityID: IdentityID, passwordHash: String) {
        self.identityID = identityID
        self.passwordHash = passwordHash
    }
}

extension AppDatabase {
    /// Creates an identity; a handle that is taken, in any letter case, is a conflict.
    public func createIdentity(handle: Handle, displayName: String, passwordHash: String, at now: Date = Date()) async throws -> Identity {
        do {
            return try await writer.write { db in
                var record = IdentityRecord(
                    id: nil, handle: handle.rawValue, passwordHash: passwordHash, displayName: displayName,
                    createdAt: now, updatedAt: now
                )
                try record.insert(db)
                // Read back, so the caller sees dates at the precision the database keeps.
                return try IdentityRecord.fetchOne(db, key: record.id)?.identity() ?? record.identity()
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw FerryError(.conflict, "the handle '\(handle)' is already taken", field: "handle")
        }
    }

    public func identity(_ id: IdentityID) async throws -> Identity? {
        try await writer.read { db in try IdentityRecord.fetchOne(db, key: id.rawValue)?.identity() }
    }

    public func identity(handle: Handle) async throws -> Identity? {
        try await writer.read { db in try Self.record(handle: handle, in: db)?.identity() }
    }

    public func credentials(handle: Handle) async throws -> Credentials? {
        try await writer.read { db in
            try Self.record(handle: handle, in: db).flatMap { record in
                record.id.map { Credentials(identityID: IdentityID($0), passwordHash: record.passwordHash) }
            }
        }
    }

    /// Applies a validated partial update to an identity's profile in one transaction. A new
    /// display name changes every blog of theirs too (it names each feed's author).
    public func updateProfile(of id: IdentityID, with update: ProfileUpdate, at now: Date = Date()) async throws -> Identity {
        let (identity, renamedBlogs, changed) = try await writer.write { db in
            guard var record = try IdentityRecord.fetchOne(db, key: id.rawValue) else {
                throw FerryError(.notFound, "no such identity")
            }
            let profile = try record.profile.applying(update)
            guard profile != record.profile else { return (try record.identity(), [BlogID](), false) }
            let renamed = profile.displayName != record.profile.displayName
            record.profile = profile
            record.updatedAt = now
            try record.update(db)
            let blogs = renamed ? try Int64.fetchAll(db, sql: "SELECT id FROM blog WHERE ownerId = ?", arguments: [id.rawValue]).map(BlogID.init) : []
            try changes.record(blogs, in: db)
            try changes.recordProfile(id, in: db)
            return (try record.identity(), blogs, true)
        }
        if changed {
            await changes.announce(renamedBlogs)
            await changes.announceProfiles([id])
        }
        return identity
    }

    static func record(handle: Handle, in db: Database) throws -> IdentityRecord? {
        try IdentityRecord.filter(Column("handle") == handle.rawValue).fetchOne(db)
    }
}

extension AppDatabase {
    public func identityCount() async throws -> Int {
        try await writer.read { db in try IdentityRecord.fetchCount(db) }
    }
}
