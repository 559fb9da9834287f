import FerryTestSupport
import Foundation
import Testing

@Suite struct ImportCommandTests {
    let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/wordpress-theme-unit-test.wxr.xml").path

    func run(_ arguments: [String], in folder: URL, input: String? = nil) async throws -> (status: Int32, output: String, errors: String) {
        let process = try FerryProcess(arguments + ["--data", folder.appendingPathComponent("data").path, "--bcrypt-cost", "4"], in: folder)
        let status = try await process.exitStatus()
        return (status, process.output, process.errors)
    }

    @Test func importsAnExportAndReportsWhatMovedAndWhatStayed() async throws {
        try await withTemporaryDirectory { folder in
            #expect(try await run(["seed", "--identities", "1", "--contacts", "0"], in: folder).status == 0)
            let first = try await run(["import", fixture, "--owner", "user0000000", "--blog", "themes", "--yes"], in: folder)
            #expect(first.status == 0, "\(first.errors)")
            #expect(first.output.contains("moves: 56 posts, 21 pages, 30 comments, 37 media files"))
            #expect(first.output.contains("Moved into /themes/: 56 posts, 21 pages, 30 comments"))
            #expect(first.output.contains("stays behind: 1 draft, 1 future, 70 nav menu item, 3 unapproved comment"))

            let again = try await run(["import", fixture, "--owner", "user0000000", "--blog", "themes", "--merge", "--yes"], in: folder)
            #expect(again.output.contains("Moved into /themes/: 0 posts, 0 pages, 0 comments; 0 old addresses"))
            #expect(again.output.contains("107 items were already there"))
        }
    }

    @Test func badInputEndsWithOneReadableLineAndAFailure() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await run(["seed", "--identities", "1", "--contacts", "0"], in: folder)
            let notAnExport = folder.appendingPathComponent("notes.txt")
            try Data("just some text".utf8).write(to: notAnExport)
            let cases: [[String]] = [
                ["import", notAnExport.path, "--owner", "user0000000", "--blog", "x1", "--yes"],
                ["import", folder.appendingPathComponent("missing.xml").path, "--owner", "user0000000", "--blog", "x2", "--yes"],
                ["import", fixture, "--owner", "nobody", "--blog", "x3", "--yes"],
                ["import", fixture, "--owner", "user0000000", "--blog", "api", "--yes"],
                ["import", fixture, "--owner", "user0000000", "--blog", "not-mine", "--merge", "--yes"],
            ]
            for arguments in cases {
                let result = try await run(arguments, in: folder)
                #expect(result.status != 0, "\(arguments)")
                let lines = result.errors.split(separator: "\n").filter { $0.hasPrefix("Error:") }
                #expect(lines.count == 1, "\(arguments): \(result.errors)")
            }
        }
    }
}
