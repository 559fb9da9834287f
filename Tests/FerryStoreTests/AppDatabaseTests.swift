import FerryCore
import FerryStore
import FerryTestSupport
import Foundation
import Testing

@Suite struct AppDatabaseTests {
    @Test func opensAFileInWALModeWithTheSchemaApplied() async throws {
        try await withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("nested/data")
            let database = try AppDatabase.open(directory: folder)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(AppDatabase.fileName).path))
            #expect(try await database.journalMode() == "wal")
            #expect(
                try await database.appliedMigrations() == [
                    "001-identities-sessions-contacts", "002-blogs", "003-posts-comments", "004-imports-redirects", "005-migrations",
                    "006-media", "007-partial-comment-author", "008-messenger-link-activities", "009-activity-audience-site-secret",
                    "010-actor-latest-activity", "011-imported-comments-counted-once",
                    "012-activity-shared-index", "013-redirects-by-blog-and-post", "014-redirects-leave-with-their-post",
                    "015-migration-new-blog-settings", "016-old-addresses-normalised", "017-pages", "018-site-settings", "019-old-root-claims",
                    "020-media-used-by-posts", "021-migration-attempts-and-bytes", "022-comments-by-time", "023-media-uploads", "024-migration-links-identity",
                    "025-drafts", "026-blog-changes", "027-migration-leases", "028-sign-in-failures", "029-request-keys", "030-websub",
                    "031-blog-changes-by-blog", "032-profile-changes", "033-sitemap-parts", "034-page-dates",
                ])
            try database.close()
        }
    }

    @Test func reopeningTheFolderKeepsEverything() async throws {
        try await withTemporaryDirectory { directory in
            let first = try AppDatabase.open(directory: directory)
            let alice = try await first.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h")
            let bob = try await first.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "h")
            _ = try await first.invite(from: alice.id, to: bob.handle)
            let token = SessionToken.generate()
            try await first.openSession(for: alice.id, token: token, expiresAt: Date().addingTimeInterval(60))
            try first.close()

            let second = try AppDatabase.open(directory: directory)
            #expect(try await second.identity(handle: Handle(trusted: "alice")) == alice)
            #expect(try await second.identityID(signedInBy: token) == alice.id)
            #expect(try await second.contacts(of: bob.id, limit: 10).entries.map(\.state) == [.incoming])
            try second.close()
        }
    }

    @Test func handlesAreUniqueWhateverTheirCase() async throws {
        try await withTemporaryDirectory { directory in
            let database = try AppDatabase.open(directory: directory)
            _ = try await database.createIdentity(handle: Handle(validating: "Alice"), displayName: "A", passwordHash: "h")
            await #expect(throws: FerryError(.conflict, "the handle 'alice' is already taken", field: "handle")) {
                try await database.createIdentity(handle: Handle(validating: "ALICE"), displayName: "B", passwordHash: "h")
            }
            // Even a handle that bypassed normalization cannot collide.
            await #expect(throws: FerryError.self) {
                try await database.createIdentity(handle: Handle(trusted: "ALICE"), displayName: "C", passwordHash: "h")
            }
            #expect(try await database.identityCount() == 1)
        }
    }

    @Test func profileUpdatesAreValidatedBeforeAnythingIsWritten() async throws {
        try await withTemporaryDirectory { directory in
            let database = try AppDatabase.open(directory: directory)
            let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h")
            await #expect(throws: FerryError.self) {
                try await database.updateProfile(of: alice.id, with: ProfileUpdate(bio: .set("kept?"), photoURL: .set("ftp://x")))
            }
            #expect(try await database.identity(alice.id) == alice)
            let updated = try await database.updateProfile(of: alice.id, with: ProfileUpdate(bio: .set("now kept")))
            #expect(updated.profile.bio == "now kept")
            #expect(try await database.identity(alice.id) == updated)
        }
    }
}

@Suite struct SessionTests {
    @Test func aTokenSignsInUntilItExpiresOrIsClosed() async throws {
        try await withTemporaryDirectory { directory in
            let database = try AppDatabase.open(directory: directory)
            let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "h")
            let now = Date()
            let token = SessionToken.generate()
            try await database.openSession(for: alice.id, token: token, expiresAt: now.addingTimeInterval(3_600), at: now)

            #expect(try await database.identityID(signedInBy: token, at: now) == alice.id)
            #expect(try await database.identityID(signedInBy: token, at: now.addingTimeInterval(3_601)) == nil)
            #expect(try await database.identityID(signedInBy: SessionToken.generate(), at: now) == nil)
            #expect(try await database.closeSession(token))
            #expect(try await database.identityID(signedInBy: token, at: now) == nil)
            #expect(try await database.closeSession(token) == false)
        }
    }

    @Test func tokensAre256RandomBitsInBase64URL() {
        let tokens = (0..<100).map { _ in SessionToken.generate().value }
        #expect(Set(tokens).count == 100)
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
        #expect(SessionToken(value: "abc").hash.count == 32)
    }
}
