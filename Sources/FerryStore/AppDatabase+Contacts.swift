import FerryCore
import Foundation
import GRDB

/// Mutual contacts, as in a messenger: one side invites, the other accepts, either side removes.
extension AppDatabase {
    /// Sends an invitation from `inviter` to the identity with `handle`.
    public func invite(from inviter: IdentityID, to handle: Handle, at now: Date = Date()) async throws -> ContactEntry {
        try await writer.write { db in
            let (me, other) = try Self.pair(inviter, handle, in: db)
            guard me.id != other.id else { throw ContactRefusal.notYourself }
            if let existing = try Self.side(of: me, towards: other, in: db) {
                throw ContactRefusal.invite(existing.state, handle: handle)
            }
            try Self.link(me, other, state: .outgoing, reverseState: .incoming, at: now, in: db)
            return ContactEntry(other, state: .outgoing, since: now)
        }
    }

    /// Accepts the invitation that the identity with `handle` sent to `invitee`: both become contacts.
    public func acceptInvitation(of invitee: IdentityID, from handle: Handle, at now: Date = Date()) async throws -> ContactEntry {
        try await writer.write { db in
            let (me, other) = try Self.pair(invitee, handle, in: db)
            if let refusal = ContactRefusal.accept(try Self.side(of: me, towards: other, in: db)?.state, handle: handle) { throw refusal }
            try Self.link(me, other, state: .accepted, reverseState: .accepted, at: now, in: db)
            return ContactEntry(other, state: .accepted, since: now)
        }
    }

    /// Removes a contact, or withdraws or declines an invitation, on both sides at once.
    public func removeContact(of identity: IdentityID, handle: Handle) async throws {
        try await writer.write { db in
            let (me, other) = try Self.pair(identity, handle, in: db)
            let removed =
                try ContactRecord
                .filter(
                    (Column("identityId") == me.id && Column("contactId") == other.id)
                        || (Column("identityId") == other.id && Column("contactId") == me.id)
                )
                .deleteAll(db)
            guard removed > 0 else { throw ContactRefusal.notAContact(handle) }
        }
    }

    /// A page of `identity`'s contacts and invitations in handle order, after the handle `after`.
    public func contacts(of identity: IdentityID, state: ContactState? = nil, after: Handle? = nil, limit: Int) async throws -> ContactPage {
        try await writer.read { db in
            var sql = """
                SELECT c.contactHandle, i.displayName, i.photoURL, c.state, c.since
                FROM contact c JOIN identity i ON i.id = c.contactId
                WHERE c.identityId = ?
                """
            var arguments: StatementArguments = [identity.rawValue]
            if let state {
                sql += " AND c.state = ?"
                arguments += [state]
            }
            if let after {
                sql += " AND c.contactHandle > ?"
                arguments += [after.rawValue]
            }
            sql += " ORDER BY c.contactHandle LIMIT ?"
            arguments += [limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let entries = rows.prefix(limit).map { row in
                ContactEntry(
                    handle: Handle(trusted: row[0]), displayName: row[1], photoURL: row[2],
                    state: row[3], since: row[4]
                )
            }
            return ContactPage(entries: entries, nextCursor: rows.count > limit ? entries.last?.handle : nil)
        }
    }

    // MARK: - Within a transaction

    /// Both ends of a relationship: the caller's record and the record of `handle`.
    private static func pair(_ identity: IdentityID, _ handle: Handle, in db: Database) throws -> (me: IdentityRecord, other: IdentityRecord) {
        guard let me = try IdentityRecord.fetchOne(db, key: identity.rawValue) else {
            throw FerryError(.notFound, "no such identity")
        }
        guard let other = try record(handle: handle, in: db) else { throw ContactRefusal.noIdentity(handle) }
        return (me, other)
    }

    private static func side(of me: IdentityRecord, towards other: IdentityRecord, in db: Database) throws -> ContactRecord? {
        guard let myID = me.id, let otherID = other.id else { return nil }
        return try ContactRecord.fetchOne(db, key: ["identityId": myID, "contactId": otherID])
    }

    /// Writes both sides of a relationship, replacing whatever stood there.
    private static func link(
        _ me: IdentityRecord, _ other: IdentityRecord,
        state: ContactState, reverseState: ContactState, at now: Date, in db: Database
    ) throws {
        guard let myID = me.id, let otherID = other.id else { return }
        try ContactRecord(identityId: myID, contactId: otherID, contactHandle: other.handle, state: state, since: now).insert(db, onConflict: .replace)
        try ContactRecord(identityId: otherID, contactId: myID, contactHandle: me.handle, state: reverseState, since: now).insert(db, onConflict: .replace)
    }
}

extension ContactEntry {
    fileprivate init(_ other: IdentityRecord, state: ContactState, since: Date) {
        self.init(handle: Handle(trusted: other.handle), displayName: other.displayName, photoURL: other.photoURL, state: state, since: since)
    }
}
