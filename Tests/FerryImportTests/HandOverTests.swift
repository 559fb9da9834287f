@testable import FerryImport
import Foundation
import Synchronization
import Testing

@Suite struct HandOverTests {
    struct Stop: Error {}

    @Test func everythingProducedArrivesInOrder() throws {
        let received = try HandOver<Int>(capacity: 2).run(produce: { handOver in
            for number in 0..<1_000 { _ = handOver.put(number) }
        }, consume: { handOver in
            var numbers: [Int] = []
            while let number = try handOver.take() { numbers.append(number) }
            return numbers
        })
        #expect(received == Array(0..<1_000))
    }

    @Test func aFailingReaderEndsTheImportWithItsError() {
        #expect(throws: Stop.self) {
            try HandOver<Int>(capacity: 2).run(produce: { handOver in
                _ = handOver.put(1)
                throw Stop()
            }, consume: { handOver in
                while try handOver.take() != nil {}
            })
        }
    }

    @Test func aFailingWriterStopsTheReaderWhichNeverRunsAhead() {
        let produced = Atomic(0)
        #expect(throws: Stop.self) {
            try HandOver<Int>(capacity: 2).run(produce: { handOver in
                for number in 0..<1_000 {
                    guard handOver.put(number) else { return }
                    produced.add(1, ordering: .relaxed)
                }
            }, consume: { handOver in
                _ = try handOver.take()
                throw Stop()
            })
        }
        // `run` returns only after the reader stopped: one taken, at most two waiting, one refused.
        #expect(produced.load(ordering: .relaxed) <= 3)
    }
}
