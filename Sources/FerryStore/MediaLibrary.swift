import Crypto
import FerryCore
import Foundation
import GRDB

/// A stored photo, video or sound, named by the SHA-256 of its bytes.
public struct StoredMedia: Sendable, Equatable {
    public var hash: String
    public var contentType: String
    public var size: Int

    /// `/media/{hash}.{ext}`: the extension only helps people and tools; the hash decides.
    public var path: String { SitePath.media(hash, fileExtension: Self.fileExtension(contentType)) }

    public var isVideo: Bool { contentType.hasPrefix("video/") }

    public init(hash: String, contentType: String, size: Int) {
        self.hash = hash
        self.contentType = contentType
        self.size = size
    }

    static func fileExtension(_ contentType: String) -> String {
        switch contentType {
        case "image/jpeg": "jpg"
        case "image/png": "png"
        case "image/gif": "gif"
        case "image/webp": "webp"
        case "video/mp4": "mp4"
        case "video/webm": "webm"
        case "audio/mpeg": "mp3"
        case "audio/ogg": "ogg"
        default: "bin"
        }
    }
}

/// Media files under `DATA/media`, one per distinct content, written atomically. Nodes of one
/// installation share the folder (a network file system, say): a file is named by the hash of
/// its bytes and moved into place whole, so two nodes storing the same upload at once write
/// the same bytes under the same name, and a reader sees the whole file or none.
public struct MediaLibrary: Sendable {
    public let database: any MediaStore
    public let directory: URL

    public init(database: any MediaStore, directory: URL) {
        self.database = database
        self.directory = directory
    }

    public func file(_ hash: String) -> URL {
        directory.appendingPathComponent(String(hash.prefix(2))).appendingPathComponent(hash)
    }

    /// The name `data` is stored under: the SHA-256 of its bytes, in hexadecimal.
    public static func hash(_ data: Data) -> String {
        Array(SHA256.hash(data: data)).hexadecimal
    }

    /// The name the file at `url` would be stored under, read a piece at a time.
    public static func hash(file url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { hasher.update(data: piece) }
        return Array(hasher.finalize()).hexadecimal
    }

    /// Stores `data` unless the same bytes are already here (`hash`, when the caller has it).
    public func store(_ data: Data, contentType: String, hash known: String? = nil, at now: Date = Date()) async throws -> StoredMedia {
        let hash = known ?? Self.hash(data)
        let target = file(hash)
        if !FileManager.default.fileExists(atPath: target.path) {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target, options: .atomic)
        }
        return try await database.recordMedia(StoredMedia(hash: hash, contentType: contentType, size: data.count), at: now)
    }

    /// Stores the file at `url`, `size` bytes named `hash`, by moving it into the library (or
    /// removing it, when the same bytes are already here): a large upload is never read into memory.
    public func store(file url: URL, size: Int, contentType: String, hash: String, at now: Date = Date()) async throws -> StoredMedia {
        let target = file(hash)
        if FileManager.default.fileExists(atPath: target.path) {
            try FileManager.default.removeItem(at: url)
        } else {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            // A rename within the data directory: readers see the whole file or none.
            try FileManager.default.moveItem(at: url, to: target)
        }
        return try await database.recordMedia(StoredMedia(hash: hash, contentType: contentType, size: size), at: now)
    }

    /// The `postId` of a use by the blog's own library (an export's attachment that no post
    /// shows), which stays while the blog does.
    public static let libraryUse: Int64 = 0

    /// The media `hash` if `reader` may read at least one blog that uses it (in a post that is
    /// still there, or in its library).
    public func readable(_ hash: String, by reader: IdentityID?) async throws -> StoredMedia? {
        try await database.readableMedia(hash, by: reader)
    }
}

/// The rows of stored media and who may read them.
public protocol MediaStore: Sendable {
    /// Records stored media (a file already in the library); recording it again changes nothing.
    func recordMedia(_ media: StoredMedia, at now: Date) async throws -> StoredMedia
    /// The media `hash` if `reader` may read at least one blog that uses it.
    func readableMedia(_ hash: String, by reader: IdentityID?) async throws -> StoredMedia?
}

extension AppDatabase: MediaStore {
    public func recordMedia(_ media: StoredMedia, at now: Date) async throws -> StoredMedia {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO media (hash, contentType, size, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [media.hash, media.contentType, media.size, now]
            )
        }
        return media
    }

    public func readableMedia(_ hash: String, by reader: IdentityID?) async throws -> StoredMedia? {
        try await writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT m.hash, m.contentType, m.size FROM media m
                    WHERE m.hash = ?1 AND EXISTS (
                        SELECT 1 FROM media_use u JOIN blog b ON b.id = u.blogId
                        WHERE u.hash = m.hash AND (
                            b.visibility <> 'private' OR b.ownerId = ?2
                            OR EXISTS (SELECT 1 FROM contact c WHERE c.identityId = b.ownerId AND c.contactId = ?2 AND c.state = 'accepted')
                        )
                    )
                    """,
                arguments: [hash, reader?.rawValue ?? -1]
            ).map { StoredMedia(hash: $0["hash"], contentType: $0["contentType"], size: $0["size"]) }
        }
    }
}
