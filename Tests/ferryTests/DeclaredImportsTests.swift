import FerryTestSupport
import Foundation
import Testing

/// Every module a target imports is one its `Package.swift` entry names (or the toolchain's):
/// nothing builds only because another target happened to pull it in.
struct DeclaredImportsTests {
    /// Modules every Swift toolchain on Linux ships.
    static let toolchain: Set<String> = ["Foundation", "FoundationXML", "FoundationNetworking", "Synchronization", "Testing", "Dispatch", "Glibc"]

    private struct Manifest: Decodable {
        struct Target: Decodable {
            var name: String
            var path: String?
            var type: String
            var dependencies: [[String: [String?]]]
        }
        var targets: [Target]
    }

    @Test func everyImportedModuleIsDeclared() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A scratch folder of its own: the one `swift test` holds is locked while tests run.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-dump-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        dump.arguments = ["swift", "package", "--package-path", root.path, "--scratch-path", scratch.path, "dump-package"]
        let output = Pipe()
        dump.standardOutput = output
        dump.standardError = FileHandle.nullDevice
        try launch(dump)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        dump.waitUntilExit()
        let manifest = try JSONDecoder().decode(Manifest.self, from: data)
        #expect(manifest.targets.count > 10)
        for target in manifest.targets where target.type != "system" {
            let declared = Set(target.dependencies.compactMap { $0.values.first?.first ?? nil })
            let folder = root.appendingPathComponent(target.path ?? "\(target.type == "test" ? "Tests" : "Sources")/\(target.name)")
            let undeclared = try Self.imports(in: folder).subtracting(declared).subtracting(Self.toolchain)
            #expect(undeclared.isEmpty, "\(target.name) imports \(undeclared.sorted()) without declaring them")
        }
    }

    /// The modules `import`ed (plainly or `@testable`) by the Swift files under `folder`.
    private static func imports(in folder: URL) throws -> Set<String> {
        var modules: Set<String> = []
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count, words[..<index].allSatisfy({ $0.hasPrefix("@") }) else { continue }
                modules.insert(String(words[index + 1]))
            }
        }
        return modules
    }
}
