import Foundation

/// Where a contact relationship stands, seen from one side.
public enum ContactState: String, Sendable, Codable, CaseIterable {
    /// I invited them; they have not answered.
    case outgoing
    /// They invited me; I have not answered.
    case incoming
    /// Both sides agreed: we are each other's contacts.
    case accepted
}

/// One row of an identity's contact list: the other identity as the list shows it.
public struct ContactEntry: Sendable, Equatable {
    public var handle: Handle
    public var displayName: String
    public var photoURL: String?
    public var state: ContactState
    /// When the invitation was sent, or when it was accepted.
    public var since: Date

    public init(handle: Handle, displayName: String, photoURL: String?, state: ContactState, since: Date) {
        self.handle = handle
        self.displayName = displayName
        self.photoURL = photoURL
        self.state = state
        self.since = since
    }
}

/// A page of a contact list, ordered by handle.
public struct ContactPage: Sendable, Equatable {
    public var entries: [ContactEntry]
    /// The handle to pass as `after` for the next page; `nil` on the last page.
    public var nextCursor: Handle?

    public init(entries: [ContactEntry], nextCursor: Handle?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }
}
