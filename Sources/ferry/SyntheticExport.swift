import ArgumentParser
import FerryBench
import Foundation

struct SyntheticExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic-export",
        abstract: "Write a WordPress export of synthetic posts, comments, drafts and attachments (for benchmarks and demos)."
    )

    @Option(help: "Published posts.")
    var posts = 20_000

    @Option(help: "Approved comments per post, every second one a reply.")
    var commentsEach = 3

    @Option(help: "The file to write.")
    var output: String

    func validate() throws {
        guard posts >= 1, commentsEach >= 0, commentsEach < 100 else { throw ValidationError("--posts must be at least 1 and --comments-each from 0 to 99") }
    }

    func run() throws {
        try writeSyntheticWXR(posts: posts, commentsEach: commentsEach, to: URL(fileURLWithPath: output))
    }
}
