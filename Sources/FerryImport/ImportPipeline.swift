import Foundation

/// A bounded hand-over between one producing thread and one consuming thread: the producer
/// waits while `capacity` chunks are waiting, so memory stays flat however large the export.
/// Either side can end it: the producer with `finish`, the consumer with `cancel`.
final class HandOver<Element: Sendable>: @unchecked Sendable {
    // Every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var waiting: [Element] = []
    /// Elements the consumer is done with, freed by the producer (see `giveBack`).
    private var spent: [Element] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for room, then hands `element` over; false once the consumer has cancelled.
    /// Frees what the consumer gave back, on this thread.
    func put(_ element: Element) -> Bool {
        var freed: [Element] = []
        condition.lock()
        defer {
            condition.unlock()
            freed.removeAll()
        }
        while waiting.count >= capacity, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        waiting.append(element)
        swap(&freed, &spent)
        condition.broadcast()
        return true
    }

    /// The consumer is done with `element`: the producer frees it, on the thread that
    /// allocated what it holds, which is cheaper for malloc than freeing it here.
    func giveBack(_ element: consuming Element) {
        condition.lock()
        defer { condition.unlock() }
        spent.append(element)
    }

    /// The producer is done, with the error that stopped it if any.
    func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        failure = error
        condition.broadcast()
    }

    /// The consumer stops taking; a waiting producer is released.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }

    /// The next element; nil when the producer finished, its error if it failed.
    func take() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty, !finished { condition.wait() }
        if !waiting.isEmpty {
            condition.broadcast()
            return waiting.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }
}

extension HandOver {
    /// Runs `produce` on a thread of its own, feeding this hand-over, while `consume` runs on
    /// the calling thread; returns once both are done, so nothing outlives the call.
    func run<Result>(
        produce: @escaping @Sendable (HandOver) throws -> Void, consume: (HandOver) throws -> Result
    ) throws -> Result {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            do {
                try produce(self)
                finish()
            } catch {
                finish(throwing: error)
            }
            done.signal()
        }
        thread.stackSize = 8 << 20  // libxml2's parsers recurse on nested markup
        thread.start()
        defer {
            cancel()
            done.wait()
        }
        return try consume(self)
    }
}
