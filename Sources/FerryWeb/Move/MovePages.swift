import FerryCore
import FerryImport
import Foundation

/// How long is left to move a blog, or that the old host has closed, in the wizard's words.
struct DeadlineNotice: Sendable {
    var text: String
    var closed: Bool

    init?(_ window: MigrationWindow, now: Date = Date()) {
        guard let closesAt = window.closesAt else { return nil }
        let day = closesAt.formatted(.iso8601.year().month().day())
        if let days = window.daysLeft(at: now) {
            let left = days == 0 ? "this is the last day" : days == 1 ? "1 day left" : "\(days) days left"
            text = "The old host closes on \(day): \(left) to move your blog."
            closed = false
        } else {
            text = "The old host closed on \(day): blogs can no longer be moved here."
            closed = true
        }
    }
}

/// Step 1, for a browser that is not signed in: connect with the messenger identity first.
struct MoveStartPage: PageModel {
    var templateName: String { "move-connect" }
    var title = "Move your blog"
    var language = "en"
    var stylesheet = SitePath.stylesheet("ferry.css")
    var noindex = true
    var returnPath: String
    var signInURL: String
    var signUpURL: String
    var deadline: DeadlineNotice?

    init(connect path: String, window: MigrationWindow) {
        returnPath = path
        signInURL = "\(SitePath.signIn)?next=\(URLEncodedForm.escape(path))"
        signUpURL = "\(SitePath.signUp)?next=\(URLEncodedForm.escape(path))"
        deadline = DeadlineNotice(window)
    }
}

/// What the owner chose on the wizard's form, kept to show it again beside an error.
struct MoveChoice: Sendable {
    var mode = "new"
    var slug = ""
    var title = ""
    var language = "en"
    var visibility = "public"
    var blog = ""
    var link = false
    /// Never shown again; kept only to check it.
    var password = ""

    init() {}

    init(_ fields: [String: String]) {
        mode = fields["mode"] == "merge" ? "merge" : "new"
        slug = fields["slug"]?.trimmingCharacters(in: .whitespaces) ?? ""
        title = fields["title"] ?? ""
        language = fields["language"]?.trimmingCharacters(in: .whitespaces) ?? ""
        visibility = fields["visibility"] ?? "public"
        blog = fields["blog"] ?? ""
        link = fields["link"] != nil
        password = fields["password"] ?? ""
    }
}

/// A choice of a `<select>` or a set of radio buttons.
struct FormOption: Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// Step 2: the export, where it goes, and the messenger link. (Templates read stored
/// properties only, so what the choice decides is kept up to date with it.)
struct MoveFormPage: PageModel {
    var templateName: String { "move" }
    var frame: AccountFrame
    var noindex = true
    var choice = MoveChoice() {
        didSet { showChoice() }
    }
    var ownBlogs: [Blog]
    var deadline: DeadlineNotice?
    var open: Bool
    var maxBytes: Int
    var maxSize: String
    var isNew = true
    var visibilities: [FormOption] = []
    var blogs: [FormOption] = []
    var errors = FieldErrors()

    static let fields: Set<String> = ["export", "mode", "slug", "title", "language", "visibility", "blog", "link", "password"]

    init(frame: AccountFrame, blogs: [Blog], window: MigrationWindow, maxBytes: Int) {
        self.frame = frame
        ownBlogs = blogs
        deadline = DeadlineNotice(window)
        open = !(deadline?.closed ?? false)
        self.maxBytes = maxBytes
        maxSize = ByteCountFormatter.string(fromByteCount: Int64(maxBytes), countStyle: .file)
        showChoice()
    }

    /// Beside its field when the page shows that field (the merge target only with blogs to
    /// choose from), else above the form.
    mutating func show(_ error: FerryError) {
        errors = FieldErrors(error, fields: ownBlogs.isEmpty ? Self.fields.subtracting(["mode", "blog"]) : Self.fields)
    }

    private mutating func showChoice() {
        isNew = choice.mode != "merge"
        visibilities = [
            ("public", "Anyone (public)"), ("hidden", "Anyone with the link (kept out of search and lists)"),
            ("private", "Only me and my contacts (private)"),
        ].map { FormOption(value: $0.0, label: $0.1, selected: $0.0 == choice.visibility) }
        blogs = ownBlogs.map {
            FormOption(value: $0.slug.rawValue, label: "\($0.title) (/\($0.slug.rawValue)/)", selected: $0.slug.rawValue == choice.blog)
        }
    }
}

/// Steps 3 and 4 on one page, `/move/{id}`: the preview and Confirm while it awaits the owner,
/// a live progress bar while it runs, the report when it is done.
struct MoveProgressPage: PageModel {
    var templateName: String { "move-progress" }
    var frame: AccountFrame
    var noindex = true
    var status: String
    var awaitingConfirmation: Bool
    var running: Bool
    var done: Bool
    var failed: Bool
    var failure: String?
    var blog: String
    var blogURL: String
    var target: String
    var linksIdentity: Bool
    var summary: ExportSummary
    var leftBehind: [KindCount]
    var progressDone: Int
    var progressTotal: Int
    var progressURL: String
    var confirmAction: String
    var report: ReportView?
    var reportLeftBehind: [KindCount]
    var dashboardURL = SitePath.dashboard
    var editorHelpURL = SitePath.desktopEditorHelp
    var moveURL = SitePath.move
    var deadline: DeadlineNotice?

    /// The report as the page shows it: counts that are zero and worth no line are nil.
    struct ReportView: Sendable {
        var posts, pages, comments, photos, videos, sounds, redirects: Int
        var alreadyPresent: Int?
        var mediaKeptAtOldAddress: Int?

        init(_ report: ImportReport) {
            (posts, pages, comments) = (report.posts, report.pages, report.comments)
            (photos, videos, sounds, redirects) = (report.photos, report.videos, report.sounds, report.redirects)
            alreadyPresent = report.alreadyPresent > 0 ? report.alreadyPresent : nil
            mediaKeptAtOldAddress = report.mediaKeptAtOldAddress > 0 ? report.mediaKeptAtOldAddress : nil
        }
    }

    struct KindCount: Sendable {
        var kind: String
        var count: Int
    }

    init(_ migration: MigrationResponse, frame: AccountFrame, window: MigrationWindow) {
        self.frame = frame
        status = migration.status.rawValue
        awaitingConfirmation = migration.status == .awaitingConfirmation
        running = migration.status == .queued || migration.status == .running
        done = migration.status == .done
        failed = migration.status == .failed
        failure = migration.failure.map(FieldErrors.sentence)
        blog = migration.blog
        blogURL = migration.url
        linksIdentity = migration.linksIdentity
        target = migration.mode == .new ? "a new blog at \(migration.url)" : "your blog at \(migration.url), added to what it has"
        summary = migration.summary
        leftBehind = Self.counts(migration.summary.leftBehind)
        progressDone = migration.progress.done
        progressTotal = max(migration.progress.total, 1)
        progressURL = SitePath.moveProgress(migration.id)
        confirmAction = SitePath.moveConfirm(migration.id)
        report = migration.report.map(ReportView.init)
        reportLeftBehind = Self.counts(migration.report?.leftBehind ?? [:])
        deadline = awaitingConfirmation ? DeadlineNotice(window) : nil
        if running { self.frame.refreshSeconds = 3 }
    }

    private static func counts(_ kinds: [String: Int]) -> [KindCount] {
        kinds.sorted { $0.key < $1.key }.map { KindCount(kind: $0.key, count: $0.value) }
    }
}
