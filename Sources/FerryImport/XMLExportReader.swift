import FerryCore

/// The skeleton the XML export readers share: read elements until one yields items, and pass
/// the channel on first — before the first item, or at the end of an export without items.
/// A format says only what each element means (`readElement`).
protocol XMLExportReader: ExportReader {
    var xml: XMLStreamReader { get }
    var items: ExportItemQueue { get set }
    /// Reads the element the reader is on, consuming or skipping it, and queues what it finds.
    mutating func readElement() throws(FerryError)
}

extension XMLExportReader {
    /// `next()` for every XML format.
    mutating func nextItem() throws(FerryError) -> ExportItem? {
        while items.isEmpty {
            guard try xml.read() else { return items.finish() }
            guard xml.nodeType == .element else { continue }
            try readElement()
        }
        return items.removeFirst()
    }
}

/// Items read but not yet passed on, with the channel they follow.
struct ExportItemQueue {
    /// The export's title, link, language and feeds, as far as they are read.
    var channel = ExportChannel()
    private var channelSent = false
    private var pending: [ExportItem] = []
    private var position = 0

    var isEmpty: Bool { position == pending.count }

    /// Queues `item`, after the channel the first time.
    mutating func append(_ item: ExportItem) {
        if !channelSent {
            channelSent = true
            pending.append(.channel(channel))
        }
        pending.append(item)
    }

    mutating func removeFirst() -> ExportItem {
        let item = pending[position]
        position += 1
        if position == pending.count {
            pending.removeAll(keepingCapacity: true)
            position = 0
        }
        return item
    }

    /// At the end of the export: the channel if no item carried it yet, then nil.
    mutating func finish() -> ExportItem? {
        guard !channelSent else { return nil }
        channelSent = true
        return .channel(channel)
    }
}
