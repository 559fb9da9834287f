import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/me`: the owner's dashboard — the profile (the photo is a reference, edited, never
/// re-hosted), each blog with its settings, messenger link, offline copy and redirects, and
/// past moves with their reports. Each form is its own POST, by the API's rules and store
/// calls; an error is shown beside its field in the form it came from.
struct DashboardController {
    let database: any Store
    let authenticator: Authenticator
    let pages: AccountPages

    /// Redirects shown per blog; the rest are counted (the API lists them all).
    static let redirectsShown = 20

    func addRoutes(browsers: RouterGroup<AppRequestContext>, export: ExportController) {
        browsers.get(RouterPath(SitePath.dashboard), use: show)
        browsers.post(RouterPath(SitePath.profileForm), use: saveProfile)
        browsers.post(RouterPath(SitePath.blogSettingsPattern), use: saveBlog)
        browsers.post(RouterPath(SitePath.blogLinkPattern), use: saveLink)
        browsers.get(RouterPath(SitePath.blogExportPattern), use: export.export)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        var page = try await dashboard(request, context)
        page.notice = request.uri.queryParameters.get("saved").flatMap(DashboardPage.savedNotice)
        return try pages.render(page)
    }

    @Sendable func saveProfile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        let form = try await AccountPages.form(request)
        do {
            try AccountPages.checkToken(form[FormToken.field], request)
            func change(_ field: String) -> FieldChange<String> {
                guard let value = form[field] else { return .keep }
                return value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? .clear : .set(value)
            }
            let update = ProfileUpdate(
                displayName: form["displayName"], bio: change("bio"), location: change("location"), website: change("website"),
                photoURL: change("photoURL"))
            _ = try await database.updateProfile(of: owner, with: update)
            return AccountPages.seeOther("\(SitePath.dashboard)?saved=profile")
        } catch let error as FerryError {
            var page = try await dashboard(request, context)
            page.profile.fill(form)
            page.profile.errors = FieldErrors(error, fields: DashboardPage.ProfileForm.fields)
            return try pages.render(page, status: error.code.httpStatus)
        }
    }

    @Sendable func saveBlog(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        let slug = try RouteParameters.slug(context)
        let form = try await AccountPages.form(request)
        do {
            try AccountPages.checkToken(form[FormToken.field], request)
            var update = BlogUpdate(title: form["title"], allowsAnonymousComments: form["allowAnonymousComments"] != nil)
            update.language = try form["language"].map { text throws(FerryError) in try LanguageTag(validating: text) }
            if let visibility = form["visibility"] {
                guard let value = BlogVisibility(rawValue: visibility) else { throw FerryError.invalid("visibility", "must be public, private or hidden") }
                update.visibility = value
            }
            _ = try await database.updateBlog(slug, by: owner, with: update)
            return AccountPages.seeOther("\(SitePath.dashboard)?saved=blog#blog-\(slug.rawValue)")
        } catch let error as FerryError where error.code != .notFound {
            return try await showing(error, on: slug, form: form, request, context)
        }
    }

    /// Ties the blog to the messenger identity (the password typed again) or unties it.
    @Sendable func saveLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        let slug = try RouteParameters.slug(context)
        let form = try await AccountPages.form(request)
        do {
            try AccountPages.checkToken(form[FormToken.field], request)
            let blog = try await database.ownedBlog(slug, by: owner)
            switch (form["link"] != nil, blog.isLinked) {
            case (true, false):
                try await pages.confirmPassword(
                    form["password"] ?? "", of: owner, unchanged: "the blog stays as it was", authenticator: authenticator, request, context)
                _ = try await database.linkBlog(slug, by: owner)
            case (false, true):
                _ = try await database.unlinkBlog(slug, by: owner)
            default:
                break
            }
            return AccountPages.seeOther("\(SitePath.dashboard)?saved=link#blog-\(slug.rawValue)")
        } catch let error as FerryError where error.code != .notFound {
            return try await showing(error, on: slug, form: [:], request, context)
        }
    }

    /// The dashboard again, with `error` beside its field in the form of blog `slug`.
    private func showing(_ error: FerryError, on slug: BlogSlug, form: [String: String], _ request: Request, _ context: AppRequestContext)
        async throws -> Response
    {
        var page = try await dashboard(request, context)
        if let index = page.blogs.firstIndex(where: { $0.slug == slug.rawValue }) {
            page.blogs[index].fill(form)
            page.blogs[index].errors = FieldErrors(error, fields: DashboardPage.BlogPanel.fields)
        } else {
            page.message = FieldErrors.sentence(error.message)
        }
        return try pages.render(page, status: error.code.httpStatus)
    }

    private func dashboard(_ request: Request, _ context: AppRequestContext) async throws -> DashboardPage {
        let (identity, frame) = try await pages.frame("Your dashboard", request, context)
        var panels: [DashboardPage.BlogPanel] = []
        for blog in try await database.blogs(ownedBy: identity.id) {
            let redirects = try await database.redirects(into: blog.id, limit: Self.redirectsShown)
            panels.append(DashboardPage.BlogPanel(blog, redirects: redirects.first, redirectCount: redirects.count))
        }
        let migrations = try await database.migrations(of: identity.id)
        return DashboardPage(frame: frame, identity: identity, blogs: panels, migrations: migrations)
    }
}
