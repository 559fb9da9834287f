import FerryCore

/// What `/people/{handle}` shows: the identity's public profile.
struct ProfilePage: ReaderPage {
    var templateName: String { "profile" }

    var title: String
    var handle: String
    var displayName: String
    var bio: String?
    var location: String?
    var website: String?
    var photoURL: String?
    var language = "en"
    var blogs: [BlogLink]
    var deadlineNotice: String?
    /// For the owner only: old roots waiting for verification, and how the last check went.
    var claims: [ClaimNotice] = []
    var claimResult: String?
    var stylesheet = SitePath.stylesheet("ferry.css")
    /// Whoever is signed in, for the sign-in bar.
    var viewer: Viewer?
    var returnPath: String

    struct ClaimNotice: Sendable {
        var root: String
        var token: String
        var metaElement: String
        var fileURL: String
        var action: String
        var csrf: String

        init(_ claim: OldRootClaim, csrf: String) {
            root = claim.root.url
            token = claim.token
            metaElement = claim.metaElement
            fileURL = claim.fileURL
            action = SitePath.verifyClaimForm(claim.id)
            self.csrf = csrf
        }
    }

    struct BlogLink: Sendable {
        var title: String
        var url: String
    }

    var activityFeedURL: String

    /// `blogs` are the identity's linked blogs that the viewer may read.
    init(_ identity: Identity, linkedBlogs blogs: [Blog]) {
        self.blogs = blogs.map { BlogLink(title: $0.title, url: SitePath.blogHome($0.slug)) }
        activityFeedURL = SitePath.activityFeed(identity.handle)
        returnPath = SitePath.profile(identity.handle)
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
