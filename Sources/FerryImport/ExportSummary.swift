import FerryCore
import Foundation

/// What an export holds, counted without writing anything: shown to the owner before they
/// confirm a migration.
public struct ExportSummary: Sendable, Codable, Equatable {
    public var format: String
    public var title: String?
    public var link: String?
    public var language: String?
    public var posts = 0
    public var pages = 0
    public var comments = 0
    public var media = 0
    public var leftBehind: [String: Int] = [:]

    /// Reads the export at `path` once, start to end. Media are counted as the import finds
    /// them (`MediaCollector`): every distinct photo, video and sound, whatever the format.
    public init(path: String) throws(FerryError) {
        let format = try ExportFormat.detect(path: path)
        self.format = format.rawValue
        var reader = try ExportFormat.reader(path: path)
        var collector = MediaCollector(plan: MediaPlan())
        while let item = try reader.next() {
            collector.add(item)
            switch item {
            case .channel(let channel):
                title = channel.title
                link = channel.link
                language = channel.language
            case .post(let post):
                if post.kind == .page { pages += 1 } else { posts += 1 }
                comments += post.comments.count
            case .comment:
                comments += 1
            case .attachment:
                continue
            case .leftBehind(let kind, let count):
                leftBehind[kind, default: 0] += count
            }
        }
        media = collector.addresses.count
    }

    /// The old blog's title and language, read from the start of the export only.
    public static func channel(path: String) throws(FerryError) -> (title: String?, language: String?) {
        var reader = try ExportFormat.reader(path: path)
        while let item = try reader.next() {
            if case .channel(let channel) = item { return (channel.title, channel.language) }
        }
        return (nil, nil)
    }
}
