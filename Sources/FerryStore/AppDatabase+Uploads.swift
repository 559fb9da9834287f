import FerryCore
import Foundation
import GRDB

extension AppDatabase {
    /// Migrations of the browser experience (issue 16), appended after `022`.
    static func registerBrowserMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("023-media-uploads") { db in
            try db.execute(
                sql: """
                    -- Media an identity uploaded, each distinct file once: what its quota counts.
                    CREATE TABLE media_upload (
                        identityId INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
                        hash TEXT NOT NULL REFERENCES media(hash),
                        bytes INTEGER NOT NULL,
                        createdAt DATETIME NOT NULL,
                        PRIMARY KEY (identityId, hash)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("024-migration-links-identity") { db in
            // The wizard's "tie it to my messenger updates", carried out when the import is done.
            try db.execute(sql: "ALTER TABLE migration ADD COLUMN linksIdentity BOOLEAN NOT NULL DEFAULT 0")
        }
    }

    /// Refuses an upload of `bytes` named `hash` that would take `identity` past `quota`
    /// (a file they uploaded before counts nothing again), before anything is written.
    public func checkUploadRoom(for hash: String, bytes: Int, by identity: IdentityID, quota: Int) async throws {
        try await writer.read { db in try Self.checkUploadRoom(for: hash, bytes: bytes, by: identity, quota: quota, db: db) }
    }

    /// Records that `identity` uploaded `media` into the library of `blog` (so the blog's
    /// readers may fetch it), counting it against `quota` bytes unless they uploaded the same
    /// file before. Over the quota nothing is recorded.
    public func recordUpload(_ media: StoredMedia, by identity: IdentityID, into blog: BlogID, quota: Int, at now: Date = Date()) async throws {
        try await writer.write { db in
            try Self.checkUploadRoom(for: media.hash, bytes: media.size, by: identity, quota: quota, db: db)
            try db.execute(
                sql: "INSERT OR IGNORE INTO media_upload (identityId, hash, bytes, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [identity.rawValue, media.hash, media.size, now])
            try db.execute(
                sql: "INSERT OR IGNORE INTO media_use (hash, blogId, postId) VALUES (?, ?, ?)",
                arguments: [media.hash, blog.rawValue, MediaLibrary.libraryUse])
        }
    }

    /// What `identity` uploaded into the library of `blog`, newest first (`hash` picks one),
    /// with when they first uploaded it: an AtomPub media collection.
    public func uploads(into blog: BlogID, by identity: IdentityID, hash: String? = nil, limit: Int) async throws -> [(media: StoredMedia, at: Date)] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.hash, m.contentType, m.size, u.createdAt FROM media_upload u
                    JOIN media_use l ON l.hash = u.hash AND l.blogId = ?1 AND l.postId = ?2
                    JOIN media m ON m.hash = u.hash
                    WHERE u.identityId = ?3 AND (?4 IS NULL OR u.hash = ?4)
                    ORDER BY u.createdAt DESC, u.hash LIMIT ?5
                    """, arguments: [blog.rawValue, MediaLibrary.libraryUse, identity.rawValue, hash, limit]
            ).map { (StoredMedia(hash: $0["hash"], contentType: $0["contentType"], size: $0["size"]), $0["createdAt"]) }
        }
    }

    private static func checkUploadRoom(for hash: String, bytes: Int, by identity: IdentityID, quota: Int, db: Database) throws {
        let known =
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM media_upload WHERE identityId = ? AND hash = ?", arguments: [identity.rawValue, hash]) ?? false
        guard !known else { return }
        let used =
            try Int.fetchOne(
                db, sql: "SELECT coalesce(sum(bytes), 0) FROM media_upload WHERE identityId = ?", arguments: [identity.rawValue]) ?? 0
        guard used + bytes <= quota else {
            throw FerryError(
                .quotaExceeded, "this upload of \(bytes) bytes would take your uploads past your quota of \(quota) bytes (\(used) are used)")
        }
    }
}
