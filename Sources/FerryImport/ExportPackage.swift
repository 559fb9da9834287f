import FerryCore
import Foundation
import ZIPFoundation

/// An export as the importer reads it: the XML file, and for a zip the folder it was
/// unpacked into, where the posts' media are found by relative path.
public struct ExportPackage: Sendable {
    public let exportPath: String
    /// The unpacked zip, when the export came as one.
    public let folder: URL?

    /// Caps for unpacking a zip: its expanded size, entries, and expansion ratio per entry.
    public struct Limits: Sendable {
        public var maxBytes: Int
        public var maxEntries = 100_000
        public var maxRatio = 200

        public init(maxBytes: Int) {
            self.maxBytes = maxBytes
        }
    }

    /// `path` itself, or — for a zip — the export inside it, unpacked safely into `folder`
    /// (again only if an earlier run did not finish unpacking).
    public static func open(_ path: String, unpackingInto folder: URL, limits: Limits) throws(FerryError) -> ExportPackage {
        guard try ExportFormat.detect(path: path) == .zip else { return ExportPackage(exportPath: path, folder: nil) }
        let marker = folder.appendingPathComponent(".unpacked")
        if !FileManager.default.fileExists(atPath: marker.path) {
            try? FileManager.default.removeItem(at: folder)
            try unpack(URL(fileURLWithPath: path), into: folder, limits: limits)
            _ = FileManager.default.createFile(atPath: marker.path, contents: nil)
        }
        return ExportPackage(exportPath: try findExport(in: folder), folder: folder)
    }

    /// Unpacks every file, refusing what could escape the folder or blow it up: absolute or
    /// `..` paths, links, too many entries, too many bytes, implausible compression ratios.
    static func unpack(_ zip: URL, into folder: URL, limits: Limits) throws(FerryError) {
        let archive: Archive
        do {
            archive = try Archive(url: zip, accessMode: .read)
        } catch {
            throw FerryError.unreadableExport("the zip cannot be read", cause: error)
        }
        var written = 0
        var entries = 0
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for entry in archive {
                entries += 1
                guard entries <= limits.maxEntries else { throw FerryError.unreadableExport("the zip holds more than \(limits.maxEntries) files") }
                switch entry.type {
                case .directory: continue
                case .symlink: throw FerryError.unreadableExport("the zip holds a link (\(entry.path)), which is never followed")
                case .file: break
                }
                guard let relative = safeRelativePath(entry.path) else {
                    throw FerryError.unreadableExport("the zip holds a file named '\(entry.path)', which would land outside the export")
                }
                let declared = Int(clamping: entry.uncompressedSize)
                if entry.compressedSize > 0, declared > 1 << 20, declared / max(1, Int(clamping: entry.compressedSize)) > limits.maxRatio {
                    throw FerryError.unreadableExport(
                        "the zip entry '\(relative)' expands \(declared / max(1, Int(clamping: entry.compressedSize))) times: refused as a zip bomb")
                }
                let target = folder.appendingPathComponent(relative)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: target.path, contents: nil) else {
                    throw FerryError.unreadableExport("the zip could not be unpacked")
                }
                let handle = try FileHandle(forWritingTo: target)
                defer { try? handle.close() }
                var entryBytes = 0
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    entryBytes += chunk.count
                    written += chunk.count
                    // Headers can lie: the bytes actually produced are what count.
                    guard entryBytes <= declared, written <= limits.maxBytes else {
                        throw FerryError.unreadableExport("the zip expands beyond \(limits.maxBytes) bytes or beyond what it declares: refused as a zip bomb")
                    }
                    try handle.write(contentsOf: chunk)
                }
            }
        } catch let error as FerryError {
            throw error
        } catch {
            throw FerryError.unreadableExport("the zip is damaged: \(error)", cause: error)
        }
    }

    /// `path` as a relative path inside the folder, or nil when it is absolute, climbs with
    /// `..`, or holds characters no export needs.
    static func safeRelativePath(_ path: String) -> String? {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty, parts.allSatisfy({ $0 != ".." && $0 != "." }), !(parts.first?.contains(":") ?? false) else { return nil }
        return parts.joined(separator: "/")
    }

    /// The export file: the shallowest XML-looking file that reads as an export.
    static func findExport(in folder: URL) throws(FerryError) -> String {
        let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { ["xml", "atom", "rss", "wxr"].contains($0.pathExtension.lowercased()) }
            .sorted { ($0.pathComponents.count, $0.path) < ($1.pathComponents.count, $1.path) }
        for file in files where (try? ExportFormat.detect(path: file.path)).map({ $0 != .zip }) == true {
            return file.path
        }
        throw FerryError.unreadableExport("the zip holds no WordPress, RSS or Blogger export")
    }
}
