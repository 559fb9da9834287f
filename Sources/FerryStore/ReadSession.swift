import Dispatch
import GRDB
import Synchronization

/// One SQLite read transaction that async code can use part by part: GRDB runs a read's
/// closure on a reader thread of its own (never one of Swift's cooperative threads), and here
/// that thread waits for work — each part an async caller asks for — and runs it in the
/// transaction, until the caller is done. So a page read by an async body still sees one
/// state of the database, as it did when the body was synchronous.
final class ReadSession: Sendable {
    private struct Job: Sendable {
        let run: @Sendable (Database) -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var finished = false
        /// Why no more jobs run (the read failed or ended); later ones fail with it.
        var closed: (any Error)?
    }

    private let state = Mutex(State())
    private let signal = DispatchSemaphore(value: 0)

    /// Runs `work` inside the session's transaction.
    func run<Value: Sendable>(_ work: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job(
                run: { db in continuation.resume(with: Result { try work(db) }) },
                fail: { error in continuation.resume(throwing: error) })
            let refusal = state.withLock { state -> (any Error)? in
                if let closed = state.closed { return closed }
                state.jobs.append(job)
                return nil
            }
            if let refusal {
                continuation.resume(throwing: refusal)
            } else {
                signal.signal()
            }
        }
    }

    /// Serves jobs on the reader's thread until `finish`; then no more are taken.
    func serve(_ db: Database) {
        while true {
            signal.wait()
            let next = state.withLock { state -> Job? in
                guard !state.jobs.isEmpty else { return nil }
                return state.jobs.removeFirst()
            }
            if let next {
                next.run(db)
                continue
            }
            if state.withLock({ $0.finished }) { return }
        }
    }

    /// The caller is done: `serve` returns.
    func finish() {
        state.withLock { $0.finished = true }
        signal.signal()
    }

    /// The transaction is over (or never began): every waiting and later job fails with `error`.
    func close(_ error: any Error) {
        let waiting = state.withLock { state -> [Job] in
            state.closed = error
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in waiting { job.fail(error) }
    }
}
