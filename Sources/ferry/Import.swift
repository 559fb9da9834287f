import ArgumentParser
import FerryCore
import FerryImport
import FerryStore
import FerryWeb
import Foundation

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move a blog export (WordPress WXR, RSS 2.0 or Blogger Atom) into a blog, from the command line."
    )

    @Argument(help: "The export file.")
    var file: String

    @Option(help: "Handle of the identity that owns the blog.")
    var owner: String

    @Option(help: "Slug of the blog: a new one, or with --merge one the owner has.")
    var blog: String

    @Flag(help: "Import into an existing blog of the owner instead of creating one.")
    var merge = false

    @Flag(help: "Do not ask for confirmation (the move is irreversible).")
    var yes = false

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try options.configuration()
        let slug = try BlogSlug(validating: blog, field: "--blog")
        let handle = try Handle(validating: owner, field: "--owner")
        let unpacked = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: unpacked) }
        let package = try ExportPackage.open(file, unpackingInto: unpacked, limits: .init(maxBytes: configuration.maxImportBytes * 4))
        // The summary reads the whole export once more: only worth it when someone reads it.
        let summary = yes ? nil : try ExportSummary(path: package.exportPath)
        if let summary {
            print(Self.describe(summary))
            print("Move this into \(merge ? "your blog" : "a new blog") '\(slug)'? This cannot be undone. [y/N] ", terminator: "")
            guard readLine()?.lowercased().hasPrefix("y") == true else {
                print("Nothing was changed.")
                throw ExitCode(1)
            }
        }
        let report = try await OpenedStore.with(configuration) { database in
            guard let identity = try await database.identity(handle: handle)?.id else {
                throw ValidationError("there is no identity with the handle '\(handle)'")
            }
            let flow = configuration.importFlow(
                database: database, fetcher: MediaFetcher(limits: configuration.mediaLimits), ownHosts: try await configuration.ownHosts(in: database)
            )
            let plan = try await flow.mediaPlan(for: package)
            let size = (try? FileManager.default.attributesOfItem(atPath: package.exportPath))?[.size] as? Int
            let progress = ProgressLine(totalBytes: size ?? 0)
            // The import runs in one blocking transaction; a command line has nothing else to do meanwhile.
            let report = try flow.importBlocking(
                package, media: plan, into: merge ? .merge(slug) : .newBlog(slug, choice: NewBlogChoice(), stagingKey: nil), owner: identity,
                progress: progress.show
            )
            progress.finish()
            return report
        }
        print(Self.describe(report, blog: slug))
    }

    static func describe(_ summary: ExportSummary) -> String {
        var lines = ["\(summary.format) export of '\(summary.title ?? "an untitled blog")'\(summary.link.map { " (\($0))" } ?? ""):"]
        lines.append("  moves: \(summary.posts) posts, \(summary.pages) pages, \(summary.comments) comments, \(summary.media) media files")
        lines += leftBehindLines(summary.leftBehind)
        return lines.joined(separator: "\n")
    }

    static func describe(_ report: ImportReport, blog: BlogSlug) -> String {
        var lines = [
            "Moved into /\(blog)/: \(report.posts) posts, \(report.pages) pages, \(report.comments) comments, \(report.photos) photos, \(report.videos) videos, \(report.sounds) sounds; \(report.redirects) old addresses recorded."
        ]
        for claim in report.claims {
            switch claim.status {
            case .verified:
                lines.append("  \(claim.root): its old addresses redirect here now.")
            case .pending:
                lines.append("  \(claim.root): its old addresses redirect once the old site is verified (ferry claims approve \(claim.claim ?? 0)),")
                lines.append("    or once its owner puts \(claim.metaElement ?? "") in the old home page, or the token in \(claim.fileURL ?? "").")
            case .refused:
                lines.append("  \(claim.root): \(report.redirectsRefused) old addresses not recorded: \(claim.reason ?? "refused").")
            }
        }
        if report.alreadyPresent > 0 { lines.append("  \(report.alreadyPresent) items were already there from an earlier import and were not added again.") }
        if report.mediaKeptAtOldAddress > 0 {
            lines.append("  \(report.mediaKeptAtOldAddress) media files could not move and keep their old addresses:")
            lines += report.mediaFailures.map { "    \($0.address): \($0.reason)" }
        }
        lines += leftBehindLines(report.leftBehind)
        lines += report.warnings.map { "  warning: \($0)" }
        return lines.joined(separator: "\n")
    }

    private static func leftBehindLines(_ counts: [String: Int]) -> [String] {
        guard !counts.isEmpty else { return [] }
        return ["  stays behind: " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")]
    }
}

/// Progress on standard error: one line rewritten in place on a terminal, plain lines otherwise.
final class ProgressLine: Sendable {
    let totalBytes: Int
    let isTerminal = isatty(STDERR_FILENO) == 1

    init(totalBytes: Int) {
        self.totalBytes = totalBytes
    }

    func show(_ progress: ImportProgress) {
        let percent = totalBytes > 0 ? min(100, progress.bytes * 100 / totalBytes) : 0
        let text = "importing: \(percent)% of the export read, \(progress.items) items"
        FileHandle.standardError.write(Data((isTerminal ? "\r\(text)" : "\(text)\n").utf8))
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
