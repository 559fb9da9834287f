import FerryPostgres
import Foundation

/// A fresh folder under the system's temporary directory, removed when `body` returns — with
/// the PostgreSQL schema of the application that kept its data there, if any
/// (`StoreBackend.webDatabase(for:)`).
public func withTemporaryDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let result: Result
    do {
        result = try await body(directory)
    } catch {
        await dropWebDatabase(of: directory)
        throw error
    }
    await dropWebDatabase(of: directory)
    return result
}

private func dropWebDatabase(of directory: URL) async {
    guard let schema = StoreBackend.webDatabase(for: directory)?.schema else { return }
    try? await StoreBackend.sql("DROP SCHEMA IF EXISTS \(schema) CASCADE")
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
