import Foundation
import Synchronization
import Testing

@testable import FerryImport

@Suite struct HandOverTests {
    struct Stop: Error {}

    @Test func everythingProducedArrivesInOrder() throws {
        let received = try HandOver<Int>(capacity: 2).run(
            produce: { handOver in
                for number in 0..<1_000 { _ = handOver.put(number) }
            },
            consume: { handOver in
                var numbers: [Int] = []
                while let number = try handOver.take() { numbers.append(number) }
                return numbers
            })
        #expect(received == Array(0..<1_000))
    }

    @Test func aFailingReaderEndsTheImportWithItsError() {
        #expect(throws: Stop.self) {
            try HandOver<Int>(capacity: 2).run(
                produce: { handOver in
                    _ = handOver.put(1)
                    throw Stop()
                },
                consume: { handOver in
                    while try handOver.take() != nil {}
                })
        }
    }

    @Test func aFailingWriterStopsTheReaderWhichNeverRunsAhead() {
        let produced = Atomic(0)
        #expect(throws: Stop.self) {
            try HandOver<Int>(capacity: 2).run(
                produce: { handOver in
                    for number in 0..<1_000 {
                        guard handOver.put(number) else { return }
                        produced.add(1, ordering: .relaxed)
                    }
                },
                consume: { handOver in
                    _ = try handOver.take()
                    throw Stop()
                })
        }
        // `run` returns only after the reader stopped: one taken, at most two waiting, one refused.
        #expect(produced.load(ordering: .relaxed) <= 3)
    }

    /// The threads that freed each `Tracked`.
    final class FreeLog: Sendable {
        let threads = Mutex<[pthread_t]>([])
    }

    /// Records the thread that frees it.
    final class Tracked: Sendable {
        let log: FreeLog
        init(log: FreeLog) { self.log = log }
        deinit { log.threads.withLock { $0.append(pthread_self()) } }
    }

    @Test func whatTheWriterGivesBackIsFreedByTheReader() throws {
        let log = FreeLog()
        let producer = Mutex<pthread_t?>(nil)
        try HandOver<[Tracked]>(capacity: 1).run(
            produce: { handOver in
                producer.withLock { $0 = pthread_self() }
                for _ in 0..<100 { _ = handOver.put([Tracked(log: log)]) }
            },
            consume: { handOver in
                while let element = try handOver.take() { handOver.giveBack(consume element) }
            })
        let threads = log.threads.withLock { $0 }
        let reader = try #require(producer.withLock { $0 })
        // Each `put` waits until the one before was taken, by when the one before that was given
        // back: only the last two can be freed elsewhere.
        #expect(threads.filter { pthread_equal($0, reader) != 0 }.count >= 98)
    }
}
