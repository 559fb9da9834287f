import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A connection of the pool held by an import and driven from the import's thread: each call
/// blocks that thread until PostgreSQL answers. What a call runs is run on an event loop of
/// its own (`EventLoopExecutor`), never on Swift's cooperative threads, so it finishes even
/// when the thread it blocks is one of those (a command line, a test) and the rest are busy.
final class BlockingConnection: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    private let executor: EventLoopExecutor
    private let release: EventLoopPromise<Void>
    private let held: EventLoopFuture<Void>

    private init(
        _ connection: PostgresConnection, logger: Logger, executor: EventLoopExecutor, release: EventLoopPromise<Void>,
        held: EventLoopFuture<Void>
    ) {
        self.connection = connection
        self.logger = logger
        self.executor = executor
        self.release = release
        self.held = held
    }

    /// Takes a connection from the store's pool until `close()`.
    static func lease(from store: PostgresStore) throws -> BlockingConnection {
        let executor = EventLoopExecutor(MultiThreadedEventLoopGroup.singleton.any())
        let handOut = executor.eventLoop.makePromise(of: PostgresConnection.self)
        let release = executor.eventLoop.makePromise(of: Void.self)
        let client = store.client
        let held = executor.run {
            try await client.withConnection { connection in
                handOut.succeed(connection)
                try await release.futureResult.get()
            }
        }
        // Before the hand-out only: a promise completed once ignores the rest.
        held.cascadeFailure(to: handOut)
        return BlockingConnection(try handOut.futureResult.wait(), logger: store.logger, executor: executor, release: release, held: held)
    }

    /// What `operation` answers, once it has run on the connection.
    @discardableResult
    func run<Result: Sendable>(_ operation: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result) throws -> Result {
        let connection = connection
        let logger = logger
        return try executor.run { try await operation(connection, logger) }.wait()
    }

    /// Runs `sql`, which takes no parameters.
    func execute(_ sql: String) throws {
        try run { connection, logger in _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
    }

    /// Gives the connection back to the pool.
    func close() {
        release.succeed(())
        try? held.wait()
    }
}

/// Runs the jobs of tasks that prefer it on one event loop's thread.
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }

    /// Runs `operation` in a task of its own on this executor; its outcome, when it has one.
    func run<Result: Sendable>(_ operation: @escaping @Sendable () async throws -> Result) -> EventLoopFuture<Result> {
        let promise = eventLoop.makePromise(of: Result.self)
        Task(executorPreference: self) {
            do {
                promise.succeed(try await operation())
            } catch {
                promise.fail(error)
            }
        }
        return promise.futureResult
    }
}
