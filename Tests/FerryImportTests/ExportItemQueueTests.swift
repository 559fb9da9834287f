import FerryCore
import Testing

@testable import FerryImport

/// The channel goes first, once, whatever the export holds.
struct ExportItemQueueTests {
    private func left(_ count: Int) -> ExportItem { .leftBehind(kind: "draft", count: count) }

    private func drain(_ queue: inout ExportItemQueue) -> [ExportItem] {
        var items: [ExportItem] = []
        while !queue.isEmpty { items.append(queue.removeFirst()) }
        return items
    }

    @Test func theChannelAsReadSoFarPrecedesTheFirstItem() {
        var queue = ExportItemQueue()
        queue.channel.title = "Old"
        queue.append(left(1))
        queue.channel.title = "Renamed later"
        queue.append(left(2))
        #expect(drain(&queue) == [.channel(ExportChannel(title: "Old")), left(1), left(2)])
        queue.append(left(3))
        #expect(drain(&queue) == [left(3)], "once")
        #expect(queue.finish() == nil)
    }

    @Test func anExportWithoutItemsStillHasItsChannel() {
        var queue = ExportItemQueue()
        queue.channel.language = "fi"
        #expect(queue.finish() == .channel(ExportChannel(language: "fi")))
        #expect(queue.finish() == nil)
    }
}
