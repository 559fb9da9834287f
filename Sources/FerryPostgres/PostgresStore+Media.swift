import FerryCore
import FerryStore
import Foundation
import PostgresNIO

extension PostgresStore: MediaStore {
    public func recordMedia(_ media: StoredMedia, at now: Date) async throws -> StoredMedia {
        try await client.query(
            """
            INSERT INTO media (hash, contentType, size, createdAt) VALUES (\(media.hash), \(media.contentType), \(media.size), \(now))
            ON CONFLICT (hash) DO NOTHING
            """, logger: logger)
        return media
    }

    public func readableMedia(_ hash: String, by reader: IdentityID?) async throws -> StoredMedia? {
        let reader = reader?.rawValue ?? -1
        return try await client.query(
            """
            SELECT m.hash, m.contentType, m.size FROM media m
            WHERE m.hash = \(hash) AND EXISTS (
                SELECT 1 FROM media_use u JOIN blog b ON b.id = u.blogId
                WHERE u.hash = m.hash AND (
                    b.visibility <> 'private' OR b.ownerId = \(reader)
                    OR EXISTS (SELECT 1 FROM contact c WHERE c.identityId = b.ownerId AND c.contactId = \(reader) AND c.state = 'accepted')
                )
            )
            """, logger: logger
        ).decode((String, String, Int).self).firstElement().map { StoredMedia(hash: $0.0, contentType: $0.1, size: $0.2) }
    }
}
