import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/contacts`: invite by handle, accept or decline what others sent, withdraw what is
/// pending, remove a contact — the API's store calls, as forms.
struct ContactsController {
    let database: any Store
    let pages: AccountPages

    /// Contacts shown at once; the next ones are a link away (`?after=HANDLE`).
    static let perPage = 100

    func addRoutes(browsers: RouterGroup<AppRequestContext>) {
        browsers.get(RouterPath(SitePath.contacts), use: show)
        browsers.post(RouterPath(SitePath.contacts), use: invite)
        browsers.post(RouterPath(SitePath.acceptContactPattern), use: accept)
        browsers.post(RouterPath(SitePath.removeContactPattern), use: remove)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        var page = try await contactsPage(request, context)
        page.notice = request.uri.queryParameters.get("done").flatMap(ContactsPage.doneNotice)
        return try pages.render(page)
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        let form = try await AccountPages.form(request)
        do {
            try AccountPages.checkToken(form[FormToken.field], request)
            _ = try await database.invite(from: owner, to: try Handle(validating: form["handle"] ?? ""))
            return AccountPages.seeOther("\(SitePath.contacts)?done=invited")
        } catch let error as FerryError {
            var page = try await contactsPage(request, context)
            page.handle = form["handle"] ?? ""
            // Whatever is wrong with an invitation is about the handle, but a forged form.
            let shown = error.code == .forbidden ? error : FerryError(error.code, error.message, field: "handle", cause: error)
            page.errors = FieldErrors(shown, fields: ["handle"])
            return try pages.render(page, status: error.code.httpStatus)
        }
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answer(request, context) { owner, handle in _ = try await database.acceptInvitation(of: owner, from: handle) }
        return AccountPages.seeOther("\(SitePath.contacts)?done=accepted")
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answer(request, context) { owner, handle in try await database.removeContact(of: owner, handle: handle) }
        return AccountPages.seeOther("\(SitePath.contacts)?done=removed")
    }

    /// Checks the form's token, then does `change` for the handle in the path.
    private func answer(
        _ request: Request, _ context: AppRequestContext, _ change: (IdentityID, Handle) async throws -> Void
    ) async throws {
        let owner = try context.requireSession().identityID
        let form = try await AccountPages.form(request)
        try AccountPages.checkToken(form[FormToken.field], request)
        try await change(owner, try Handle(validating: context.parameters.require("handle")))
    }

    private func contactsPage(_ request: Request, _ context: AppRequestContext) async throws -> ContactsPage {
        let (identity, frame) = try await pages.frame("Contacts", request, context)
        let after = try request.uri.queryParameters.get("after").map { text throws(FerryError) in try Handle(validating: text, field: "after") }
        let accepted = try await database.contacts(of: identity.id, state: .accepted, after: after, limit: Self.perPage)
        let incoming = try await database.contacts(of: identity.id, state: .incoming, limit: Self.perPage)
        let outgoing = try await database.contacts(of: identity.id, state: .outgoing, limit: Self.perPage)
        var page = ContactsPage(frame: frame, accepted: accepted.entries, incoming: incoming.entries, outgoing: outgoing.entries)
        page.moreURL = accepted.nextCursor.map { "\(SitePath.contacts)?after=\($0.rawValue)" }
        return page
    }
}

/// What `/contacts` shows.
struct ContactsPage: PageModel {
    var templateName: String { "contacts" }
    var noindex = true
    var frame: AccountFrame
    var notice: String?
    var handle = ""
    var errors = FieldErrors()
    var accepted: [Line]
    var incoming: [Line]
    var outgoing: [Line]
    var moreURL: String?

    struct Line: Sendable {
        var handle: String
        var displayName: String
        var profileURL: String
        var photoURL: String?
        var acceptAction: String
        var removeAction: String
        var since: String
    }

    init(frame: AccountFrame, accepted: [ContactEntry], incoming: [ContactEntry], outgoing: [ContactEntry]) {
        self.frame = frame
        func lines(_ entries: [ContactEntry]) -> [Line] {
            entries.map {
                Line(
                    handle: $0.handle.rawValue, displayName: $0.displayName, profileURL: SitePath.profile($0.handle), photoURL: $0.photoURL,
                    acceptAction: SitePath.acceptContact($0.handle), removeAction: SitePath.removeContact($0.handle),
                    since: $0.since.formatted(.iso8601.year().month().day()))
            }
        }
        self.accepted = lines(accepted)
        self.incoming = lines(incoming)
        self.outgoing = lines(outgoing)
    }

    static func doneNotice(_ what: String) -> String? {
        switch what {
        case "invited": "The invitation is sent: you become contacts when it is accepted."
        case "accepted": "You are contacts now: each of you sees the other's updates."
        case "removed": "Done: that contact or invitation is gone."
        default: nil
        }
    }
}
