import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO

/// A connection of an import's own, driven from the import's thread: each call blocks that
/// thread until PostgreSQL answers. Nothing it waits for needs Swift's cooperative threads —
/// not the pool (whose `run()` lives on them), and not the calls themselves, which run on an
/// event loop (`EventLoopExecutor`) — so it finishes even when the thread it blocks is one of
/// those (a command line, a test) and the rest are busy or blocked too.
///
/// A write whose answer the import does not need (a `COPY`) may be started without waiting
/// (`start`): PostgreSQL stores one batch while the import reads the next. The next call waits
/// for it first, and throws what it threw.
final class BlockingConnection: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    private let executor: EventLoopExecutor
    private let configuration: PostgresConnection.Configuration
    /// The writes started and not yet waited for, oldest first; each runs after the one before.
    private let started = NIOLockedValueBox<[EventLoopFuture<Void>]>([])
    /// Started writes beyond this many make `start` wait for the oldest, so that an import
    /// faster than its database holds a few batches in memory, not all of them.
    static let mostStarted = 16
    /// A second connection, opened when first asked for (`beside`).
    private let second = NIOLockedValueBox<BlockingConnection?>(nil)

    private init(_ connection: PostgresConnection, configuration: PostgresConnection.Configuration, logger: Logger, executor: EventLoopExecutor) {
        self.connection = connection
        self.configuration = configuration
        self.logger = logger
        self.executor = executor
    }

    static func open(_ store: PostgresStore) throws -> BlockingConnection {
        try open(configuration: try store.connectionConfiguration(), logger: store.logger)
    }

    private static func open(configuration: PostgresConnection.Configuration, logger: Logger) throws -> BlockingConnection {
        let executor = EventLoopExecutor(MultiThreadedEventLoopGroup.singleton.any())
        let eventLoop = executor.eventLoop
        let connection = try executor.run {
            try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 0, logger: logger)
        }.wait()
        return BlockingConnection(connection, configuration: configuration, logger: logger, executor: executor)
    }

    /// Another connection to the same database, closed with this one: for what need not wait
    /// behind this one's writes and belongs to no transaction (ids from a sequence).
    func beside() throws -> BlockingConnection {
        try second.withLockedValue { second in
            if let second { return second }
            let opened = try Self.open(configuration: configuration, logger: logger)
            second = opened
            return opened
        }
    }

    /// What `operation` answers, once it has run on the connection (after the write started
    /// before it, if any, which it throws the error of instead).
    @discardableResult
    func run<Result: Sendable>(_ operation: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result) throws -> Result {
        try waitForStarted()
        let connection = connection
        let logger = logger
        return try executor.run { try await operation(connection, logger) }.wait()
    }

    /// Starts `operation` after the write started before it, and returns at once (or once the
    /// oldest write still running has ended, when `mostStarted` are).
    func start(_ operation: @escaping @Sendable (PostgresConnection, Logger) async throws -> Void) throws {
        let connection = connection
        let logger = logger
        let oldest = started.withLockedValue { started -> EventLoopFuture<Void>? in
            let before = started.last
            started.append(
                executor.run {
                    try await before?.get()
                    try await operation(connection, logger)
                })
            return started.count > Self.mostStarted ? started.removeFirst() : nil
        }
        try oldest?.wait()
    }

    /// Starts `sql`, which takes no parameters, and returns at once.
    func start(_ sql: String) throws {
        try start { connection, logger in _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
    }

    /// Waits for the writes started and not yet waited for, and throws what they threw.
    func waitForStarted() throws {
        let newest = started.withLockedValue { started in
            defer { started = [] }
            return started.last
        }
        try newest?.wait()
    }

    /// Runs `sql`, which takes no parameters.
    func execute(_ sql: String) throws {
        try run { connection, logger in _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
    }

    func close() {
        try? waitForStarted()
        second.withLockedValue { $0 }?.close()
        let connection = connection
        try? executor.run { try await connection.close() }.wait()
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
