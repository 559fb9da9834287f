import FerryCore
import Foundation

/// The writes of one import into one blog, as `BlogImporter` makes them. Every insert is keyed
/// by the item's source identity, so importing the same export again (or an overlapping one)
/// adds nothing twice. A backend may hold writes back and send many at a time: whatever it
/// answers already counts what it holds.
///
/// Its methods block the calling thread: an import runs on a thread of its own, never on
/// Swift's cooperative pool.
public protocol ImportBatch: AnyObject {
    var blog: Blog { get }
    /// The blog's address in the paths old addresses lead to: its own slug, or — while an
    /// import is staged in a blog of its own — the slug it will have.
    var addressSlug: BlogSlug { get }
    /// The post imported before from the source item `entryID`, if any.
    func post(entryID: String) throws -> Post?
    /// The id of the post imported before from `entryID`, if any: all a comment listed on its
    /// own needs, and cheaper than the post.
    func postID(entryID: String) throws -> PostID?
    /// Inserts an imported post with the number of its comments about to be inserted, keeping
    /// its source id as the feed entry id and its date; the slug comes from `slugSource` (the
    /// old slug, or the title). Nil when the source item was imported before.
    func insertPost(_ draft: PostDraft, entryID: String, publishedAt: Date, slugSource: String, commentCount: Int, kind: PostKind) throws -> Post?
    /// The comment imported before from `sourceID` on `post`, if any.
    func comment(sourceID: String, on post: PostID) throws -> CommentID?
    /// Inserts an imported comment by a visitor of the old blog; its id is known at once.
    func insertComment(
        on post: PostID, sourceID: String, parent: CommentID?, authorName: String, authorURL: String?, content: String, at date: Date
    ) throws -> CommentID
    /// Threads `replies`, imported before the comment they answer, under `parent`.
    func setParent(_ parent: CommentID, of replies: [CommentID]) throws
    /// Adds `count` imported comments to the post's comment count: imported comments are not
    /// counted one by one as they go in (a new post is inserted with its count).
    func countImportedComments(_ count: Int, on post: PostID) throws
    /// One `migrate` activity for the whole import, if the blog is linked: imported posts never
    /// each become an activity.
    func recordMigration(summary: String, at now: Date) throws
    /// Records that `address` now lives at `target` (a path on this site). An address already
    /// recorded for this blog keeps its first target.
    func addRedirect(from address: OldAddress, to target: String, post: PostID?) throws
    /// How many of the addresses given to `addRedirect` were new, once all are written.
    func redirectsAdded() throws -> Int
    /// The owner's claim on the old root `root`, verified at once when `trusted`; nil when
    /// another identity holds it.
    func claim(_ root: OldRoot, trusted: Bool) throws -> OldRootClaim?
    /// Records that `post` of the blog (or, without one, the blog's own library) uses `media`,
    /// so readers of the blog may fetch it while the post is there.
    func use(_ media: StoredMedia, in post: PostID?) throws
    /// Lets the backend write out what it holds while the export is still being read, rather
    /// than all at the end. Nothing of it counts until the import's commit.
    func writeChangedPages() throws
    /// Marks the migration done with its report in the import's own last transaction, so a
    /// crash can never leave an imported blog with a migration that would run again — if
    /// `lease` still holds it: otherwise throws `MigrationLeaseLost`, and the import comes to
    /// nothing.
    func completeMigration(_ lease: MigrationLease, report: Data, at now: Date) throws
}

extension ImportBatch {
    public func insertPost(_ draft: PostDraft, entryID: String, publishedAt: Date, slugSource: String, commentCount: Int) throws -> Post? {
        try insertPost(draft, entryID: entryID, publishedAt: publishedAt, slugSource: slugSource, commentCount: commentCount, kind: .post)
    }

    public func recordMigration(summary: String) throws {
        try recordMigration(summary: summary, at: Date())
    }

    public func addRedirect(from address: OldAddress, to target: String) throws {
        try addRedirect(from: address, to: target, post: nil)
    }

    public func use(_ media: StoredMedia) throws {
        try use(media, in: nil)
    }

    public func completeMigration(_ lease: MigrationLease, report: Data) throws {
        try completeMigration(lease, report: report, at: Date())
    }
}

/// Where an import writes, a part of the export at a time: in one transaction, or in stages
/// that each commit, into a blog of its own that becomes the new blog at the end (see
/// `ImportStore.importInStages`).
public protocol ImportStages: AnyObject {
    /// How many items of the export one stage writes.
    var itemsPerStage: Int { get }
    /// Runs `body` with a batch; what it wrote counts once the stage (or, unstaged, the
    /// import) commits.
    func stage<T>(_ body: (any ImportBatch) throws -> T) throws -> T
    /// How many old addresses the stages recorded (each once).
    func redirectsAdded() throws -> Int
}

/// Every stage writes into one batch, in the import's one transaction.
public final class SingleBatchStages: ImportStages {
    private let batch: any ImportBatch

    public init(_ batch: any ImportBatch) {
        self.batch = batch
    }

    public var itemsPerStage: Int { .max }

    public func stage<T>(_ body: (any ImportBatch) throws -> T) throws -> T {
        try body(batch)
    }

    public func redirectsAdded() throws -> Int {
        try batch.redirectsAdded()
    }
}

/// Imports: the writing side of moving a blog here. Each method blocks its thread for the
/// whole import (parsing happens while it writes, so memory stays flat): call it from a thread
/// of its own or the command line.
public protocol ImportStore: Sendable {
    /// Runs `body` with an `ImportBatch` for the blog at `slug` in one transaction. With
    /// `settings`, the blog is created (the slug must be free); otherwise `owner` must own
    /// it. A created blog has `visibility` from the start, so a private one never shows for a
    /// moment as public. Nothing is kept if `body` throws.
    func importIntoBlog<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag)?, visibility: BlogVisibility,
        _ body: (any ImportBatch) throws -> T
    ) throws -> T
    /// Imports into the new blog `slug` in stages: `body` writes into a private blog of its
    /// own, found again by `key` if an earlier run was interrupted (source ids make the rest
    /// idempotent); then, in one short transaction, that blog takes `slug`, `settings` and
    /// `visibility`, and `publish` records what must commit with it (given a batch of the
    /// published blog). If anything throws, the staged blog and the claims it made go.
    func importInStages<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag), visibility: BlogVisibility,
        key: String, _ body: (any ImportStages) throws -> T, publish: (T, any ImportBatch) throws -> Void
    ) throws -> T
    /// Removes what a staged import of `key` wrote (its blog, a part at a time) and the claims
    /// in `claims` it made.
    func discardStaging(_ key: String, owner: IdentityID, claims: [Int64]) throws
}

extension ImportStore {
    public func importIntoBlog<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag)?, _ body: (any ImportBatch) throws -> T
    ) throws -> T {
        try importIntoBlog(slug, owner: owner, createWith: settings, visibility: .public, body)
    }

    public func importInStages<T>(
        _ slug: BlogSlug, owner: IdentityID, createWith settings: (title: String, language: LanguageTag), visibility: BlogVisibility,
        key: String, _ body: (any ImportStages) throws -> T
    ) throws -> T {
        try importInStages(slug, owner: owner, createWith: settings, visibility: visibility, key: key, body, publish: { _, _ in })
    }

    public func discardStaging(_ key: String, owner: IdentityID) throws {
        try discardStaging(key, owner: owner, claims: [])
    }
}

/// The slug of the blog a staged import of `key` writes into: `~` is in no slug a reader can
/// ask for, and the blog is private besides.
public enum StagingBlog {
    public static func slug(_ key: String) -> BlogSlug {
        BlogSlug(trusted: "~staging-\(key)")
    }
}
