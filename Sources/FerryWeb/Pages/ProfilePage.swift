import FerryCore

/// What `/people/{handle}` shows: the identity's public profile.
struct ProfilePage: PageModel {
    var templateName: String { "profile" }

    var title: String
    var handle: String
    var displayName: String
    var bio: String?
    var location: String?
    var website: String?
    var photoURL: String?
    var stylesheet = SitePath.stylesheet("ferry.css")

    init(_ identity: Identity) {
        let profile = identity.profile
        title = "\(profile.displayName) (@\(identity.handle.rawValue))"
        handle = identity.handle.rawValue
        displayName = profile.displayName
        bio = profile.bio
        location = profile.location
        website = profile.website
        photoURL = profile.photoURL
    }
}
