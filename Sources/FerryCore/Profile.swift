/// What an identity tells others about itself.
///
/// `photoURL` is a reference to a photo held elsewhere: it is validated, then stored and
/// returned exactly as given — never fetched, copied, normalized or rewritten.
public struct Profile: Sendable, Equatable {
    public var displayName: String
    public var bio: String?
    public var location: String?
    public var website: String?
    public var photoURL: String?

    public init(displayName: String, bio: String? = nil, location: String? = nil, website: String? = nil, photoURL: String? = nil) {
        self.displayName = displayName
        self.bio = bio
        self.location = location
        self.website = website
        self.photoURL = photoURL
    }

    public static let displayNameLimit = 64
    public static let bioLimit = 2_000
    public static let locationLimit = 100

    /// A display name with surrounding white space removed, checked for length and control characters.
    public static func validDisplayName(_ input: String, field: String = "displayName") throws(FerryError) -> String {
        try TextRules.requiredLine(input, field: field, limit: displayNameLimit)
    }

    /// This profile with `update` applied; every changed field is validated.
    public func applying(_ update: ProfileUpdate) throws(FerryError) -> Profile {
        var result = self
        if let displayName = update.displayName {
            result.displayName = try Self.validDisplayName(displayName)
        }
        result.bio = try update.bio.apply(to: bio) { value throws(FerryError) in
            try TextRules.multiLine(value, field: "bio", limit: Self.bioLimit)
        }
        result.location = try update.location.apply(to: location) { value throws(FerryError) in
            try TextRules.singleLine(value, field: "location", limit: Self.locationLimit)
        }
        result.website = try update.website.apply(to: website) { value throws(FerryError) in
            try WebReference.validate(value, field: "website")
        }
        result.photoURL = try update.photoURL.apply(to: photoURL) { value throws(FerryError) in
            try WebReference.validate(value, field: "photoURL")
        }
        return result
    }
}

/// A partial change of a profile, as sent by `PATCH /api/me`: absent fields stay as they are.
public struct ProfileUpdate: Sendable, Equatable {
    /// The display name cannot be cleared, only replaced.
    public var displayName: String?
    public var bio: FieldChange<String>
    public var location: FieldChange<String>
    public var website: FieldChange<String>
    public var photoURL: FieldChange<String>

    public init(
        displayName: String? = nil,
        bio: FieldChange<String> = .keep,
        location: FieldChange<String> = .keep,
        website: FieldChange<String> = .keep,
        photoURL: FieldChange<String> = .keep
    ) {
        self.displayName = displayName
        self.bio = bio
        self.location = location
        self.website = website
        self.photoURL = photoURL
    }
}

/// What a partial update does to one optional field.
public enum FieldChange<Value: Sendable & Equatable>: Sendable, Equatable {
    case keep
    case clear
    case set(Value)

    /// The field's new value: `current` when kept, `nil` when cleared, the validated value when set.
    func apply(to current: Value?, validate: (Value) throws(FerryError) -> Value) throws(FerryError) -> Value? {
        switch self {
        case .keep: current
        case .clear: nil
        case .set(let value): try validate(value)
        }
    }
}
