import FerryCore
import FerryStore
import Foundation

/// What `/me` shows. Templates read stored properties only.
struct DashboardPage: PageModel {
    var templateName: String { "dashboard" }
    var noindex = true
    var frame: AccountFrame
    var notice: String?
    var message: String?
    var profile: ProfileForm
    var blogs: [BlogPanel]
    var migrations: [MigrationLine]
    var moveURL = SitePath.move

    init(frame: AccountFrame, identity: Identity, blogs: [BlogPanel], migrations: [Migration]) {
        self.frame = frame
        profile = ProfileForm(identity)
        self.blogs = blogs
        self.migrations = migrations.map(MigrationLine.init)
    }

    static func savedNotice(_ what: String) -> String? {
        switch what {
        case "profile": "Your profile is saved."
        case "blog": "The blog's settings are saved."
        case "link": "The messenger link is saved."
        default: nil
        }
    }

    /// The profile as its form shows it (or as it was typed, beside an error).
    struct ProfileForm: Sendable {
        static let fields: Set<String> = ["displayName", "bio", "location", "website", "photoURL"]
        var handle: String
        var profileURL: String
        var displayName: String
        var bio: String
        var location: String
        var website: String
        var photoURL: String
        var errors = FieldErrors()

        init(_ identity: Identity) {
            handle = identity.handle.rawValue
            profileURL = SitePath.profile(identity.handle)
            displayName = identity.profile.displayName
            bio = identity.profile.bio ?? ""
            location = identity.profile.location ?? ""
            website = identity.profile.website ?? ""
            photoURL = identity.profile.photoURL ?? ""
        }

        mutating func fill(_ form: [String: String]) {
            displayName = form["displayName"] ?? displayName
            bio = form["bio"] ?? bio
            location = form["location"] ?? location
            website = form["website"] ?? website
            photoURL = form["photoURL"] ?? photoURL
        }
    }

    /// One blog: its settings form, messenger link, offline copy, redirects and writing links.
    struct BlogPanel: Sendable {
        static let fields: Set<String> = ["title", "language", "visibility", "allowAnonymousComments", "link", "password"]
        var slug: String
        var title: String
        var language: String
        var url: String
        var visibilities: [FormOption]
        var allowAnonymousComments: Bool
        var linked: Bool
        var settingsAction: String
        var linkAction: String
        var exportURL: String
        var postsURL: String
        var newPostURL: String
        var feedURL: String
        var redirects: [RedirectLine]
        var redirectCount: Int
        var moreRedirects: Int?
        var redirectsAPI: String
        var errors = FieldErrors()

        struct RedirectLine: Sendable {
            var from: String
            var to: String
        }

        init(_ blog: Blog, redirects: [RedirectEntry], redirectCount: Int) {
            slug = blog.slug.rawValue
            title = blog.title
            language = blog.language.rawValue
            url = SitePath.blogHome(blog.slug)
            visibilities = BlogVisibility.allCases.map { FormOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == blog.visibility) }
            allowAnonymousComments = blog.allowsAnonymousComments
            linked = blog.isLinked
            settingsAction = SitePath.blogSettings(blog.slug)
            linkAction = SitePath.blogLink(blog.slug)
            exportURL = SitePath.blogExport(blog.slug)
            postsURL = SitePath.postsEditor(blog.slug)
            newPostURL = SitePath.newPost(blog.slug)
            feedURL = SitePath.feed(blog.slug)
            self.redirects = redirects.map { RedirectLine(from: $0.oldAddress, to: $0.to) }
            self.redirectCount = redirectCount
            moreRedirects = redirectCount > redirects.count ? redirectCount - redirects.count : nil
            redirectsAPI = SitePath.API.redirects(blog.slug)
        }

        mutating func fill(_ form: [String: String]) {
            title = form["title"] ?? title
            language = form["language"] ?? language
            if let chosen = form["visibility"] {
                visibilities = visibilities.map { FormOption(value: $0.value, label: $0.label, selected: $0.value == chosen) }
            }
        }
    }

    struct MigrationLine: Sendable {
        var url: String
        var blog: String
        var status: String
        var started: String

        init(_ migration: Migration) {
            url = SitePath.move(migration.id)
            blog = migration.blog.rawValue
            status = migration.status.rawValue
            started = migration.createdAt.formatted(.iso8601.year().month().day())
        }
    }
}
