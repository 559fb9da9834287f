import Foundation

/// The database id of an identity, typed so it cannot be confused with other ids.
public struct IdentityID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// A messenger identity as others see it: handle and profile, never credentials.
public struct Identity: Sendable, Equatable {
    public var id: IdentityID
    public var handle: Handle
    public var profile: Profile
    public var createdAt: Date

    public init(id: IdentityID, handle: Handle, profile: Profile, createdAt: Date) {
        self.id = id
        self.handle = handle
        self.profile = profile
        self.createdAt = createdAt
    }
}
