import FerryCore
import Foundation
import Hummingbird

/// An optional field of an API resource: written as `null` when it has no value, never left
/// out, so that every answer of a kind has the same fields. (Problem details and WebFinger
/// documents follow their RFCs instead, which leave out what does not apply.)
@propertyWrapper
struct AlwaysPresent<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// How long owners have left to move, while a cutoff is set and not yet reached.
struct MigrationDeadline: Encodable {
    var closesAt: Date
    var daysLeft: Int

    init?(_ window: MigrationWindow, now: Date = Date()) {
        guard let closesAt = window.closesAt, let days = window.daysLeft(at: now) else { return nil }
        self.closesAt = closesAt
        daysLeft = days
    }
}

/// An identity as `GET /api/me` and `POST /api/identities` show it; every field is present,
/// `null` when it has no value.
struct IdentityResponse: ResponseEncodable {
    var identity: Identity
    var deadline: MigrationDeadline? = nil

    enum CodingKeys: String, CodingKey {
        case handle, displayName, bio, location, website, photoURL, createdAt, profileURL, migrationDeadline
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let profile = identity.profile
        try container.encode(identity.handle.rawValue, forKey: .handle)
        try container.encode(profile.displayName, forKey: .displayName)
        try container.encode(profile.bio, forKey: .bio)
        try container.encode(profile.location, forKey: .location)
        try container.encode(profile.website, forKey: .website)
        try container.encode(profile.photoURL, forKey: .photoURL)
        try container.encode(identity.createdAt, forKey: .createdAt)
        try container.encode(SitePath.profile(identity.handle), forKey: .profileURL)
        try container.encode(deadline, forKey: .migrationDeadline)
    }
}

/// One row of `GET /api/me/contacts`.
struct ContactResponse: ResponseEncodable {
    var entry: ContactEntry

    enum CodingKeys: String, CodingKey {
        case handle, displayName, photoURL, state, since
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.handle.rawValue, forKey: .handle)
        try container.encode(entry.displayName, forKey: .displayName)
        try container.encode(entry.photoURL, forKey: .photoURL)
        try container.encode(entry.state, forKey: .state)
        try container.encode(entry.since, forKey: .since)
    }
}

/// A page of a list the API answers: its items under `key` (`contacts`, `posts`,
/// `comments`), and `nextCursor` to ask for the next page with — `null` on the last page,
/// never absent, in every list.
struct PageResponse<Item: Encodable & Sendable>: ResponseEncodable {
    var key: String
    var items: [Item]
    var nextCursor: String?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(stringValue: key))
        try container.encode(nextCursor, forKey: Key(stringValue: "nextCursor"))
    }
}

/// The body of `PATCH /api/me`. Absent fields stay; `null` or `""` clears an optional field.
/// Unknown fields are refused rather than ignored, so a typo never looks like a saved change.
struct ProfilePatchBody: Decodable {
    var update = ProfileUpdate()

    private static let fields = ["displayName", "bio", "location", "website", "photoURL"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        if let unknown = container.allKeys.first(where: { !Self.fields.contains($0.stringValue) }) {
            throw FerryError.invalid(unknown.stringValue, "is not a profile field; the fields are \(Self.fields.joined(separator: ", "))")
        }
        func change(_ name: String) throws -> FieldChange<String> {
            let key = FieldKey(name)
            guard container.contains(key) else { return .keep }
            guard let value = try container.decodeNil(forKey: key) ? nil : container.decode(String.self, forKey: key),
                !value.isEmpty
            else { return .clear }
            return .set(value)
        }
        if case .set(let name) = try change("displayName") {
            update.displayName = name
        } else if container.contains(FieldKey("displayName")) {
            throw FerryError.invalid("displayName", "cannot be removed, only replaced")
        }
        update.bio = try change("bio")
        update.location = try change("location")
        update.website = try change("website")
        update.photoURL = try change("photoURL")
    }
}

struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
