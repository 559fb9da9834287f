import Foundation

/// A fresh folder under the system's temporary directory, removed when `body` returns.
public func withTemporaryDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// A temporary file holding `contents`, removed when `body` returns.
@discardableResult
public func withTemporaryFile<Result>(_ contents: Data, _ body: (String) throws -> Result) throws -> Result {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-test-\(UUID().uuidString)")
    try contents.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    return try body(file.path)
}

@discardableResult
public func withTemporaryFile<Result>(_ contents: String, _ body: (String) throws -> Result) throws -> Result {
    try withTemporaryFile(Data(contents.utf8), body)
}
