import FerryRender
import FerryStore
import Foundation

/// The photos and videos an export uses, fetched and stored before the import's transaction
/// begins (so no network wait ever holds the database), by their address in the export.
public struct MediaPlan: Sendable {
    public var stored: [String: StoredMedia] = [:]
    /// Addresses that could not be fetched, with the reason; they keep their old address.
    public var failures: [String: String] = [:]

    public init() {}

    /// The stored copy of `source` as written in a post whose own address is `base`.
    func media(for source: String, base: String?) -> StoredMedia? {
        stored[MediaMover.absolute(source, base: base)]
    }
}

/// Finds every photo and video an export's posts use (`img`, `video`, `audio`, `source`,
/// enclosures, attachments), fetches each once and stores it by content.
public struct MediaMover: Sendable {
    public let fetcher: MediaFetcher
    public let library: MediaLibrary
    public var concurrency = 4

    public init(fetcher: MediaFetcher, library: MediaLibrary) {
        self.fetcher = fetcher
        self.library = library
    }

    public func prepare(exportPath: String) async throws -> MediaPlan {
        let addresses = try Self.addresses(in: exportPath)
        var plan = MediaPlan()
        var next = addresses.makeIterator()
        try await withThrowingTaskGroup(of: (String, Result<StoredMedia, ImportError>).self) { group in
            func start() {
                guard let address = next.next() else { return }
                group.addTask {
                    do {
                        let (data, type) = try await fetcher.fetch(address)
                        return (address, .success(try await library.store(data, contentType: type)))
                    } catch let error as ImportError {
                        return (address, .failure(error))
                    }
                }
            }
            for _ in 0..<concurrency { start() }
            while let (address, result) = try await group.next() {
                switch result {
                case .success(let media): plan.stored[address] = media
                case .failure(let error): plan.failures[address] = error.message
                }
                start()
            }
        }
        return plan
    }

    /// Every distinct media address in the export, absolute, in first-seen order.
    static func addresses(in path: String) throws(ImportError) -> [String] {
        var reader = try ExportFormat.reader(path: path)
        var seen: Set<String> = []
        var ordered: [String] = []
        var root: String?
        let sanitizer = HTMLSanitizer()
        func add(_ address: String, base: String?) {
            let absolute = absolute(address, base: base)
            if seen.insert(absolute).inserted { ordered.append(absolute) }
        }
        while let item = try reader.next() {
            switch item {
            case .channel(let channel):
                root = channel.link
            case .post(let post):
                let base = post.link ?? root
                _ = sanitizer.sanitize(post.content) { address in
                    add(address, base: base)
                    return nil
                }
                post.enclosures.forEach { add($0, base: base) }
            case .attachment(let attachment):
                add(attachment.url, base: root)
            case .comment, .leftBehind:
                continue
            }
        }
        return ordered
    }

    /// `address` made absolute against the page it appeared on.
    static func absolute(_ address: String, base: String?) -> String {
        guard let base, let baseURL = URL(string: base), let resolved = URL(string: address, relativeTo: baseURL) else { return address }
        return resolved.absoluteString
    }
}
