import Foundation
import Synchronization

private let launching = Mutex(())

/// Starts `process`, one launch at a time in this test process: Foundation's `Process.run()`
/// on Linux crashed (a bad read in `memmove`) while several suites started processes at once.
public func launch(_ process: Process) throws {
    try launching.withLock { _ in try process.run() }
}
