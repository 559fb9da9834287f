import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: ContactStore {
    public func invite(from inviter: IdentityID, to handle: Handle, at now: Date) async throws -> ContactEntry {
        try await transaction { connection in
            let (me, other) = try await pair(inviter, handle, on: connection)
            guard me.id != other.id else { throw ContactRefusal.notYourself }
            if let state = try await side(of: me.id, towards: other.id, on: connection) {
                throw ContactRefusal.invite(state, handle: handle)
            }
            try await link(me, other, state: .outgoing, reverseState: .incoming, at: now, on: connection)
            return ContactEntry(handle: other.handle, displayName: other.profile.displayName, photoURL: other.profile.photoURL, state: .outgoing, since: now)
        }
    }

    public func acceptInvitation(of invitee: IdentityID, from handle: Handle, at now: Date) async throws -> ContactEntry {
        try await transaction { connection in
            let (me, other) = try await pair(invitee, handle, on: connection)
            if let refusal = ContactRefusal.accept(try await side(of: me.id, towards: other.id, on: connection), handle: handle) { throw refusal }
            try await link(me, other, state: .accepted, reverseState: .accepted, at: now, on: connection)
            return ContactEntry(handle: other.handle, displayName: other.profile.displayName, photoURL: other.profile.photoURL, state: .accepted, since: now)
        }
    }

    public func removeContact(of identity: IdentityID, handle: Handle) async throws {
        try await transaction { connection in
            let (me, other) = try await pair(identity, handle, on: connection)
            let removed = try await connection.query(
                """
                DELETE FROM contact WHERE (identityId = \(me.id.rawValue) AND contactId = \(other.id.rawValue))
                    OR (identityId = \(other.id.rawValue) AND contactId = \(me.id.rawValue))
                RETURNING 1
                """, logger: logger
            ).decode(Int.self).all()
            guard !removed.isEmpty else { throw ContactRefusal.notAContact(handle) }
        }
    }

    public func contacts(of identity: IdentityID, state: ContactState?, after: Handle?, limit: Int) async throws -> ContactPage {
        let rows = try await client.query(
            """
            SELECT c.contactHandle, i.displayName, i.photoURL, c.state, c.since
            FROM contact c JOIN identity i ON i.id = c.contactId
            WHERE c.identityId = \(identity.rawValue) AND (\(state?.rawValue)::text IS NULL OR c.state = \(state?.rawValue))
                AND (\(after?.rawValue)::text IS NULL OR c.contactHandle > \(after?.rawValue))
            ORDER BY c.contactHandle LIMIT \(limit + 1)
            """, logger: logger
        ).decode((String, String, String?, String, Date).self).all()
        let entries = try rows.prefix(limit).map { row in
            guard let state = ContactState(rawValue: row.3) else { throw FerryError.brokenInvariant("a contact has the state '\(row.3)'") }
            return ContactEntry(handle: Handle(trusted: row.0), displayName: row.1, photoURL: row.2, state: state, since: row.4)
        }
        return ContactPage(entries: entries, nextCursor: rows.count > limit ? entries.last?.handle : nil)
    }

    /// Both ends of a relationship, locked in id order (two invitations crossing wait for each
    /// other instead of both finding no relationship).
    private func pair(_ identity: IdentityID, _ handle: Handle, on connection: PostgresConnection) async throws -> (me: Identity, other: Identity) {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.identityColumns) FROM identity WHERE id = \(identity.rawValue) OR handle = \(handle.rawValue)
            ORDER BY id FOR UPDATE
            """, logger: logger
        ).decode(IdentityColumns.self).all().map(Self.identity)
        guard let me = rows.first(where: { $0.id == identity }) else { throw FerryError(.notFound, "no such identity") }
        guard let other = rows.first(where: { $0.handle == handle }) else { throw ContactRefusal.noIdentity(handle) }
        return (me, other)
    }

    private func side(of me: IdentityID, towards other: IdentityID, on connection: PostgresConnection) async throws -> ContactState? {
        try await connection.query(
            "SELECT state FROM contact WHERE identityId = \(me.rawValue) AND contactId = \(other.rawValue)", logger: logger
        ).decode(String.self).firstElement().flatMap(ContactState.init(rawValue:))
    }

    /// Writes both sides of a relationship, replacing whatever stood there.
    private func link(_ me: Identity, _ other: Identity, state: ContactState, reverseState: ContactState, at now: Date, on connection: PostgresConnection)
        async throws
    {
        for (from, to, state) in [(me, other, state), (other, me, reverseState)] {
            try await connection.query(
                """
                INSERT INTO contact (identityId, contactId, contactHandle, state, since)
                VALUES (\(from.id.rawValue), \(to.id.rawValue), \(to.handle.rawValue), \(state.rawValue), \(now))
                ON CONFLICT (identityId, contactId) DO UPDATE SET contactHandle = excluded.contactHandle, state = excluded.state, since = excluded.since
                """, logger: logger)
        }
    }
}
