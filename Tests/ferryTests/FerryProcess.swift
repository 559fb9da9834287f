import FerryTestSupport
import Foundation

/// The `ferry` executable that `swift test` built next to this test bundle.
func ferryExecutable() throws -> URL {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ferry")
    guard FileManager.default.isExecutableFile(atPath: besideTests.path) else {
        throw ProcessError(message: "no ferry executable at \(besideTests.path)")
    }
    return besideTests
}

struct ProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A `ferry` process whose output goes to files in `directory`, so that nothing blocks on a full pipe.
final class FerryProcess {
    let process = Process()
    let stdoutFile: URL
    let stderrFile: URL

    /// `input`, when given, is what the process reads on its standard input. The process keeps
    /// its data on `StoreBackend.web`'s backend: on PostgreSQL, in the schema of `directory`
    /// (dropped with it), unless `environment` names a database itself.
    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:], input: String? = nil) throws {
        let name = UUID().uuidString
        stdoutFile = directory.appendingPathComponent("\(name).out")
        stderrFile = directory.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = try ferryExecutable()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FERRY_") }
        base["FERRY_DATABASE_URL"] = StoreBackend.webDatabaseURL(for: directory)
        base.merge(environment) { $1 }
        process.environment = base
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        if let input {
            let inputFile = directory.appendingPathComponent("\(name).in")
            try Data(input.utf8).write(to: inputFile)
            process.standardInput = try FileHandle(forReadingFrom: inputFile)
        }
        try launch(process)
    }

    /// How long a process may take to start or to end. On PostgreSQL, installations sharing
    /// the test server migrate one after another (one advisory lock), and the second pass
    /// starts a hundred applications at once: a process may wait a minute for its turn.
    static let patience: Duration = .seconds(180)

    var output: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Waits for the line `ferry serve` prints once it accepts connections, and returns the port.
    func listeningPort(timeout: Duration = FerryProcess.patience) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ferry listening on http://") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return port
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessError(message: "ferry serve did not start: \(errors)")
    }

    /// Waits for the process to end and returns its exit status.
    func exitStatus(timeout: Duration = FerryProcess.patience) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.interrupt()
                throw ProcessError(message: "ferry did not exit in time")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }
}
