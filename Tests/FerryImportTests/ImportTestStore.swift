import FerryCore
import FerryImport
import FerryStore
import FerryTestSupport
import Foundation
import Testing

/// Opens a SQLite store with one identity, "alice", who has a profile and a contact.
func withStore(_ body: (AppDatabase, IdentityID) async throws -> Void) async throws {
    try await withTemporaryDirectory { folder in
        let database = try AppDatabase.open(directory: folder)
        try await body(database, try await addAlice(to: database))
        try database.close()
    }
}

/// The same on `backend`.
func withStore(on backend: StoreBackend, _ body: @Sendable (any Store, IdentityID) async throws -> Void) async throws {
    try await backend.withStore { store in
        try await body(store, try await addAlice(to: store))
    }
}

private func addAlice(to store: any Store) async throws -> IdentityID {
    let alice = try await store.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x")
    let bob = try await store.createIdentity(handle: Handle(trusted: "bob"), displayName: "Bob", passwordHash: "x")
    _ = try await store.updateProfile(of: alice.id, with: ProfileUpdate(photoURL: .set("https://photos.example/a.jpg")))
    _ = try await store.invite(from: alice.id, to: bob.handle)
    _ = try await store.acceptInvitation(of: bob.id, from: alice.handle)
    return alice.id
}

/// No dangling reference in `store`: SQLite checks its foreign keys when asked; PostgreSQL
/// never lets one be written.
func expectIntact(_ store: any Store) async throws {
    if let database = store as? AppDatabase { #expect(try await database.integrityProblems().isEmpty) }
}

/// Imports `export` (the text of an export file) into a new blog `slug` of `owner` (or into
/// that blog with `merge`); the installation vouches for claims unless `claims` says otherwise.
@discardableResult
func importExport(
    _ export: String, into slug: String, owner: IdentityID, database: any Store, media: MediaPlan = MediaPlan(),
    claims: ClaimPolicy = ClaimPolicy(trustEveryImporter: true), merge: Bool = false
) throws -> ImportReport {
    try withTemporaryFile(Data(export.utf8)) { path throws in
        let settings = merge ? nil : (title: slug, language: LanguageTag(trusted: "en"))
        return try database.importIntoBlog(BlogSlug(trusted: slug), owner: owner, createWith: settings) { batch in
            try BlogImporter(media: media, claims: claims).run(path: path, into: batch)
        }
    }
}

/// A zipped export moved as a migration moves it: `entries` zipped in `folder` and unpacked, a
/// store there with "alice", and the export's media moved with a real fetcher (nothing in these
/// tests resolves, so whatever the zip lacks fails).
func withZippedExport(
    _ entries: [(String, Data?)], in folder: URL,
    _ body: (_ package: ExportPackage, _ database: AppDatabase, _ alice: IdentityID, _ plan: MediaPlan) async throws -> Void
) async throws {
    let zip = folder.appendingPathComponent("export.zip")
    try makeZip(entries, at: zip)
    let package = try ExportPackage.open(zip.path, unpackingInto: folder.appendingPathComponent("unpacked"), limits: .init(maxBytes: 1 << 20))
    let database = try AppDatabase.open(directory: folder.appendingPathComponent("data"))
    defer { try? database.close() }
    let alice = try await database.createIdentity(handle: Handle(trusted: "alice"), displayName: "Alice", passwordHash: "x").id
    let fetcher = MediaFetcher()
    let plan = try await MediaMover(fetcher: fetcher, library: MediaLibrary(database: database, directory: folder.appendingPathComponent("media")))
        .prepare(package)
    try await body(package, database, alice, plan)
}
