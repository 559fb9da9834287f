import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/move`: the wizard that moves a blog in a browser. (1) Connect: sign in or sign up;
/// (2) the export file, where it goes (a new blog or one the owner has) and whether to tie
/// it to the messenger identity (the password asked again); (3) `/move/{id}`: the preview
/// and the irreversible Confirm; (4) the same page follows the run to its report. The same
/// intake, rules and store calls as `/api/migrations`; every form works without script.
struct MoveController {
    let intake: MigrationIntake
    let authenticator: Authenticator
    let pages: AccountPages

    /// A form's boundaries, part headers and text fields, around the export.
    static let formBytes = 64 * 1_024

    func addRoutes(anyone: RouterGroup<AppRequestContext>, browsers: RouterGroup<AppRequestContext>) {
        anyone.get(RouterPath(SitePath.home), use: home)
        anyone.get(RouterPath(SitePath.move), use: start)
        browsers.post(RouterPath(SitePath.move), use: upload)
        browsers.get(RouterPath(SitePath.movePattern), use: show)
        browsers.get(RouterPath(SitePath.moveProgressPattern), use: progress)
        browsers.post(RouterPath(SitePath.moveConfirmPattern), use: confirm)
    }

    /// The site's front door: a stranger is invited to move a blog (step 1), an owner goes
    /// to their dashboard.
    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await authenticator.cookieReader(request) == nil else { return AccountPages.seeOther(SitePath.dashboard) }
        return try pages.render(MoveStartPage(connect: SitePath.move, window: intake.window))
    }

    /// Step 1 for a stranger (sign in or sign up, then come back), step 2 for the signed in.
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let identityID = try await authenticator.cookieReader(request) else {
            return try pages.render(MoveStartPage(connect: request.uri.path, window: intake.window))
        }
        return try pages.render(try await formPage(request, for: identityID))
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        var page = try await formPage(request, for: owner)
        let slot: MigrationIntake.Slot
        do {
            slot = try await intake.slot(for: owner)
            guard let boundary = MultipartForm.boundary(of: request.headers[.contentType] ?? "") else {
                throw FerryError(.malformedRequest, "the form must be sent as multipart/form-data, with the export in its `export` field")
            }
            // Refused from its declared length, before a byte of it is stored.
            if let length = request.headers[.contentLength].flatMap(Int.init), length > slot.limit + Self.formBytes {
                throw Self.onExport(intake.tooLarge(slot))
            }
            do {
                let sink = try FileSink(file: slot.file, limit: slot.limit, tooLarge: Self.onExport(intake.tooLarge(slot)))
                let form = try await MultipartForm.read(request.body, boundary: boundary, fieldBytes: Self.formBytes) { field, _ in
                    field == "export" ? sink : nil
                }
                page.choice = MoveChoice(form.fields)
                try AccountPages.checkToken(form.fields[FormToken.field], request)
                guard form.files["export"] != nil else {
                    throw FerryError.invalid("export", "choose the export file of your old blog (.xml or .zip)")
                }
                let migration = try await record(page.choice, slot: slot, bytes: sink.written, owner: owner, request, context)
                return AccountPages.seeOther(SitePath.move(migration.id))
            } catch {
                intake.discard(slot)
                throw error
            }
        } catch let error as FerryError {
            page.show(error)
            // A browser forgets the chosen file when the page comes back.
            if error.field != "export" { page.errors.byField["export"] = "Choose the export file again." }
            return try pages.render(page, status: error.code.httpStatus)
        }
    }

    /// Checks the choices made on the form, then analyses and records the upload.
    private func record(
        _ choice: MoveChoice, slot: MigrationIntake.Slot, bytes: Int, owner: IdentityID, _ request: Request, _ context: AppRequestContext
    ) async throws -> Migration {
        let mode = choice.mode == "merge" ? MigrationMode.merge : .new
        let slug = try BlogSlug(validating: mode == .new ? choice.slug : choice.blog, field: mode == .new ? "slug" : "blog")
        let newBlog = try MigrationIntake.newBlogChoice(
            title: mode == .new ? choice.title.nonEmpty : nil, language: mode == .new ? choice.language.nonEmpty : nil,
            visibility: mode == .new ? choice.visibility.nonEmpty : nil, mode: mode)
        do {
            try await intake.checkTarget(slug, mode: mode, owner: owner)
        } catch let error as FerryError where error.field == nil || error.field == "blog" {
            // Said beside the field that named the blog.
            throw FerryError(error.code, error.message, field: mode == .new ? "slug" : "blog", cause: error)
        }
        if choice.link {
            try await pages.confirmPassword(
                choice.password, of: owner, unchanged: "nothing was moved", authenticator: authenticator, request, context)
        }
        return try await intake.record(
            slot, bytes: bytes, owner: owner, blog: slug, mode: mode, newBlog: newBlog, linksIdentity: choice.link, field: "export")
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let migration = try await MigrationController.migration(
            try context.parameters.require("id"), of: try context.requireSession().identityID, intake: intake)
        let (_, frame) = try await pages.frame("Moving \(migration.blog)", request, context)
        return try pages.render(MoveProgressPage(migration, frame: frame, window: intake.window))
    }

    /// What the progress page's script polls: the API's view of the migration.
    @Sendable func progress(_ request: Request, context: AppRequestContext) async throws -> Response {
        let migration = try await MigrationController.migration(
            try context.parameters.require("id"), of: try context.requireSession().identityID, intake: intake)
        var response = try migration.response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try context.requireSession().identityID
        let form = try await AccountPages.form(request)
        let id = try context.parameters.require("id")
        try AccountPages.checkToken(form[FormToken.field], request)
        _ = try await intake.database.confirmMigration(id, of: owner)
        intake.worker.wake()
        return AccountPages.seeOther(SitePath.move(id))
    }

    /// Step 2, as the signed-in owner first sees it: their blogs to merge into, the deadline.
    private func formPage(_ request: Request, for owner: IdentityID) async throws -> MoveFormPage {
        let (identity, frame) = try await pages.frame("Move a blog", request, for: owner)
        let blogs = try await intake.database.blogs(ownedBy: identity.id)
        return MoveFormPage(frame: frame, blogs: blogs, window: intake.window, maxBytes: intake.maxExportBytes)
    }

    /// A size refusal, said beside the file field.
    private static func onExport(_ error: FerryError) -> FerryError {
        FerryError(error.code, error.message, field: "export")
    }
}

extension String {
    /// nil for the empty string: a form's empty field means "not chosen".
    var nonEmpty: String? { isEmpty ? nil : self }
}
