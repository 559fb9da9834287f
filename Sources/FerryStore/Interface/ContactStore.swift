import FerryCore
import Foundation

/// Mutual contacts, as in a messenger: one side invites, the other accepts, either side removes.
public protocol ContactStore: Sendable {
    /// Sends an invitation from `inviter` to the identity with `handle`.
    func invite(from inviter: IdentityID, to handle: Handle, at now: Date) async throws -> ContactEntry
    /// Accepts the invitation that the identity with `handle` sent to `invitee`: both become contacts.
    func acceptInvitation(of invitee: IdentityID, from handle: Handle, at now: Date) async throws -> ContactEntry
    /// Removes a contact, or withdraws or declines an invitation, on both sides at once.
    func removeContact(of identity: IdentityID, handle: Handle) async throws
    /// A page of `identity`'s contacts and invitations in handle order, after the handle `after`.
    func contacts(of identity: IdentityID, state: ContactState?, after: Handle?, limit: Int) async throws -> ContactPage
}

extension ContactStore {
    public func invite(from inviter: IdentityID, to handle: Handle) async throws -> ContactEntry {
        try await invite(from: inviter, to: handle, at: Date())
    }

    public func acceptInvitation(of invitee: IdentityID, from handle: Handle) async throws -> ContactEntry {
        try await acceptInvitation(of: invitee, from: handle, at: Date())
    }

    public func contacts(of identity: IdentityID, state: ContactState? = nil, limit: Int) async throws -> ContactPage {
        try await contacts(of: identity, state: state, after: nil, limit: limit)
    }
}

/// The refusals of contact changes, worded once for every backend.
public enum ContactRefusal {
    /// Why `handle` cannot be invited, given this side's `state` towards them.
    public static func invite(_ state: ContactState, handle: Handle) -> FerryError {
        switch state {
        case .outgoing: FerryError(.conflict, "you have already invited '\(handle)'", field: "handle")
        case .incoming: FerryError(.conflict, "'\(handle)' has already invited you; accept their invitation instead", field: "handle")
        case .accepted: FerryError(.conflict, "'\(handle)' is already your contact", field: "handle")
        }
    }

    /// Why the invitation from `handle` cannot be accepted; nil when it can (it is `incoming`).
    public static func accept(_ state: ContactState?, handle: Handle) -> FerryError? {
        switch state {
        case nil: FerryError(.notFound, "there is no invitation from '\(handle)'")
        case .outgoing: FerryError(.conflict, "you invited '\(handle)'; only they can accept")
        case .accepted: FerryError(.conflict, "'\(handle)' is already your contact")
        case .incoming: nil
        }
    }

    public static func notAContact(_ handle: Handle) -> FerryError {
        FerryError(.notFound, "'\(handle)' is neither a contact nor an invitation of yours")
    }

    public static func noIdentity(_ handle: Handle) -> FerryError {
        FerryError(.notFound, "there is no identity with the handle '\(handle)'", field: "handle")
    }

    public static let notYourself = FerryError.invalid("handle", "you cannot invite yourself")
}

extension AppDatabase: ContactStore {}
