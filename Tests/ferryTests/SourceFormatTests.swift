import FerryTestSupport
import Foundation
import Testing

/// The code follows the repository's `.swift-format`, checked the way a contributor checks it.
struct SourceFormatTests {
    @Test func everySourceFileFollowsTheFormatConfiguration() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lint = Process()
        lint.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        lint.arguments = ["swift", "format", "lint", "--strict", "--recursive", "Sources", "Tests", "Package.swift"]
        lint.currentDirectoryURL = root
        let output = Pipe()
        lint.standardOutput = output
        lint.standardError = output
        try launch(lint)
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        lint.waitUntilExit()
        #expect(lint.terminationStatus == 0 && report.isEmpty, "run `swift format format -i -r Sources Tests` to fix:\n\(report)")
    }
}
