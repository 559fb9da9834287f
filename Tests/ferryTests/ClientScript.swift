import FerryTestSupport
import Foundation

/// Runs a client script with `interpreter`; answers the JSON line it prints.
func runClient(_ interpreter: String, _ script: String, _ arguments: [String], in folder: URL) throws -> [String: Any] {
    let output = folder.appendingPathComponent("\(script).out")
    let errors = folder.appendingPathComponent("\(script).err")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: interpreter)
    process.currentDirectoryURL = folder
    process.arguments = [DesktopEditorClientTests.clients.appendingPathComponent(script).path] + arguments
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    try launch(process)
    process.waitUntilExit()
    let printed = try Data(contentsOf: output)
    guard process.terminationStatus == 0 else {
        throw ProcessError(message: "\(script) failed: \((try? String(contentsOf: errors, encoding: .utf8)) ?? "")")
    }
    return try JSONSerialization.jsonObject(with: printed) as? [String: Any] ?? [:]
}
