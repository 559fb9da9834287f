import FerryCore
import FerryRender
import FerryStore
import Foundation

/// The photos and videos an export uses, fetched and stored before the import's transaction
/// begins (so no network wait ever holds the database), by their address in the export.
public struct MediaPlan: Sendable {
    public var stored: [String: StoredMedia] = [:]
    /// Addresses that could not be fetched, with the reason; they keep their old address.
    public var failures: [String: String] = [:]
    /// For a zipped export: the unpacked folder, and the export's folder within it, against
    /// which relative media paths are read.
    public var package: (folder: URL, exportFolder: URL)?
    /// For a zipped export: every file it holds, by its path inside the unpacked folder.
    private var packagedFiles: Set<String> = []
    /// The zip's top folders, under which a host's files may sit (`blog/wp-content/…`).
    private var topFolders: [String] = []

    public init(package: ExportPackage? = nil) {
        guard let package, let folder = package.folder?.standardizedFileURL else { return }
        self.package = (folder, URL(fileURLWithPath: package.exportPath).deletingLastPathComponent().standardizedFileURL)
        let root = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        for file in files {
            let path = file.standardizedFileURL.path
            guard path.hasPrefix(root) else { continue }
            let relative = String(path.dropFirst(root.count))
            packagedFiles.insert(relative)
            if !relative.contains("/") { continue }
            let top = String(relative.prefix { $0 != "/" })
            if !topFolders.contains(top) { topFolders.append(top) }
        }
        topFolders.sort()
    }

    /// The stored copy of `source` as written in a post whose own address is `base`.
    func media(for source: String, base: String?) -> StoredMedia? {
        stored[key(source, base: base)]
    }

    /// Where `source` is read from: a file of the zip (`file:` + its path, only inside the
    /// unpacked folder) for a relative path in a zipped export, or for an absolute address
    /// whose path the zip holds (the old host may be gone); else the absolute URL.
    func key(_ source: String, base: String?) -> String {
        if let package {
            if !source.contains(":"), !source.hasPrefix("//"), let path = source.split(separator: "?").first.flatMap({ String($0).removingPercentEncoding }) {
                let file = URL(fileURLWithPath: path, relativeTo: path.hasPrefix("/") ? package.folder : package.exportFolder).standardizedFileURL
                let root = package.folder.path.hasSuffix("/") ? package.folder.path : package.folder.path + "/"
                if file.path.hasPrefix(root) { return "file:" + file.path }
            } else if let file = packagedFile(forAbsolute: source) {
                return "file:" + package.folder.appendingPathComponent(file).path
            }
        }
        return MediaMover.absolute(source, base: base)
    }

    /// The path of the zip's file that `key` names, or nil when `key` names none: an export's
    /// own `file:` address, anywhere else on this server, is never read.
    func packagedPath(of key: String) -> String? {
        guard let package, key.hasPrefix("file:") else { return nil }
        let path = URL(fileURLWithPath: String(key.dropFirst(5))).standardizedFileURL.path
        let root = package.folder.path.hasSuffix("/") ? package.folder.path : package.folder.path + "/"
        return path.hasPrefix(root) ? path : nil
    }

    /// The zip's file for `http://old.example/wp-content/a.jpg`: `wp-content/a.jpg`, at the
    /// zip's root, below one of its top folders, or below a folder named after the host.
    private func packagedFile(forAbsolute source: String) -> String? {
        guard !packagedFiles.isEmpty, let url = URL(string: source.hasPrefix("//") ? "http:" + source : source),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host?.lowercased()
        else { return nil }
        let path = url.path.split(separator: "/").joined(separator: "/")
        guard !path.isEmpty, ExportPackage.safeRelativePath(path) != nil else { return nil }
        let candidates = [path, "\(host)/\(path)"] + topFolders.flatMap { ["\($0)/\(path)", "\($0)/\(host)/\(path)"] }
        return candidates.first(where: packagedFiles.contains)
    }
}

/// Finds every photo, video and sound an export's posts use (`MediaCollector`), fetches each
/// once (or reads it from the zip) and stores it by content.
public struct MediaMover: Sendable {
    /// What one migration may move: a blog's photos, not a way to fill the disk.
    public struct Limits: Sendable {
        public var maxMedia = 10_000
        public var maxTotalBytes = 5 << 30

        public init() {}
    }

    /// Nil when the operator turned fetching off: only a zip's own files move then.
    public let fetcher: MediaFetcher?
    public let library: MediaLibrary
    public var limits: Limits
    public var concurrency = 4

    public init(fetcher: MediaFetcher?, library: MediaLibrary, limits: Limits = Limits()) {
        self.fetcher = fetcher
        self.library = library
        self.limits = limits
    }

    /// Whether `prepare` has anything to do for `package`: reading the whole export once more
    /// only pays when media may be fetched or the export came with its media.
    public func hasWork(for package: ExportPackage) -> Bool {
        fetcher != nil || package.folder != nil
    }

    public func prepare(_ package: ExportPackage) async throws -> MediaPlan {
        var plan = MediaPlan(package: package)
        let addresses = try Self.addresses(in: package.exportPath, plan: plan)
        // The files of the zip, as the tasks that read them see them.
        let zip = plan
        for address in addresses.dropFirst(limits.maxMedia) {
            plan.failures[address] = "this migration moves at most \(limits.maxMedia) photos, videos and sounds"
        }
        var next = addresses.prefix(limits.maxMedia).makeIterator()
        var bytes = 0
        try await withThrowingTaskGroup(of: (String, Result<StoredMedia, FerryError>).self) { group in
            func start() {
                var candidate = next.next()
                while let address = candidate, bytes >= limits.maxTotalBytes {
                    plan.failures[address] = "this migration's media reached \(limits.maxTotalBytes) bytes, the most one migration moves"
                    candidate = next.next()
                }
                guard let address = candidate else { return }
                group.addTask {
                    do {
                        let (data, type) =
                            if let path = zip.packagedPath(of: address) {
                                try Self.read(path, limit: fetcher?.limits.maxBytes ?? MediaFetcher.Limits().maxBytes)
                            } else if let fetcher {
                                try await fetcher.fetch(Self.photoBehindPage(address))
                            } else {
                                throw FerryError.unfetchable("media fetching is turned off on this server, and the zip does not hold it")
                            }
                        return (address, .success(try await library.store(data, contentType: type)))
                    } catch let error as FerryError {
                        return (address, .failure(error))
                    }
                }
            }
            for _ in 0..<concurrency { start() }
            while let (address, result) = try await group.next() {
                switch result {
                case .success(let media):
                    plan.stored[address] = media
                    bytes += media.size
                case .failure(let error): plan.failures[address] = error.message
                }
                start()
            }
        }
        return plan
    }

    /// Every distinct media address in the export, absolute, in first-seen order.
    static func addresses(in path: String, plan: MediaPlan) throws(FerryError) -> [String] {
        var reader = try ExportFormat.reader(path: path)
        var collector = MediaCollector(plan: plan)
        while let item = try reader.next() { collector.add(item) }
        return collector.addresses
    }

    /// A media file shipped in a zipped export; its type comes from its extension.
    static func read(_ path: String, limit: Int) throws(FerryError) -> (Data, String) {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard let type = MediaKind.of(fileExtension: URL(fileURLWithPath: path).pathExtension)?.contentType else {
            throw FerryError.unreadableExport("\(name) in the zip is not a photo, video or sound")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw FerryError.unreadableExport("\(name) is not in the zip") }
        guard size <= limit, let data = FileManager.default.contents(atPath: path) else {
            throw FerryError.unreadableExport("\(name) in the zip is larger than \(limit) bytes")
        }
        return (data, type)
    }

    /// Blogger's old "click to enlarge" links end in `/s1600-h/photo.jpg`, a page showing the
    /// photo; the photo itself is the same address with `/s1600/`.
    static func photoBehindPage(_ address: String) -> String {
        address.contains("/s1600-h/") ? address.replacingOccurrences(of: "/s1600-h/", with: "/s1600/") : address
    }

    /// `address` made absolute against the page it appeared on.
    static func absolute(_ address: String, base: String?) -> String {
        guard let base, let baseURL = URL(string: base), let resolved = URL(string: address, relativeTo: baseURL) else { return address }
        return resolved.absoluteString
    }
}
