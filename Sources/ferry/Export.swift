import ArgumentParser
import FerryCore
import FerryImport
import FerryStore
import FerryWeb
import Foundation

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a blog's offline copy: a WordPress (WXR 1.2) file that WordPress or ferry can import."
    )

    @Argument(help: "Slug of the blog.")
    var slug: String

    @Option(help: "The file to write.")
    var output: String

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try options.configuration()
        let slug = try BlogSlug(validating: slug, field: "SLUG")
        try await OpenedStore.with(configuration) { database in
            guard let blog = try await database.blog(slug: slug) else {
                throw ValidationError("there is no blog at '\(slug)'")
            }
            guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output)")
            }
            defer { try? handle.close() }
            try await WXRExport(database: database, siteURL: configuration.siteURL()).write(blog) { text in
                try handle.write(contentsOf: Data(text.utf8))
            }
        }
        print("Wrote the offline copy of /\(slug)/ to \(output).")
    }
}
