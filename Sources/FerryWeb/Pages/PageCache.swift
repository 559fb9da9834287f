import FerryCore
import FerryStore
import Synchronization

/// What a kept page shows and so depends on: a change of any of these makes it stale.
enum PageDependency: Hashable, Sendable {
    /// The blog's posts, pages, comments, settings and visibility.
    case blog(BlogID)
    /// The identity's profile: name, photo, bio, location, website.
    case profile(IdentityID)
    /// Which blogs the identity links to their profile, and what they are called.
    case blogsOf(IdentityID)
    /// Any blog: what the sitemap index lists may have changed.
    case sitemap
    /// One part of the sitemap, by name.
    case sitemapPart(String)
}

/// A page as rendered, with what it shows.
struct RenderedPage: Sendable {
    var page: CachedPage
    var dependencies: [PageDependency]
}

/// The pages anonymous readers see, rendered once per change of what they show and kept in
/// memory within a byte budget. Pages are rendered when first asked for after a change, not
/// at the change: of millions of blogs, most pages are never asked for between two changes.
///
/// A page is fresh while nothing it depends on changed after the moment its rendering began
/// (`stamp()`, taken before reading the database; the store announces a write after its
/// commit, so whatever a render read, a later announcement makes it stale). A stale page is
/// kept until it is rendered again, so that a render of the same bytes keeps its date.
final class PageCache: Sendable {
    private struct Entry {
        var page: CachedPage
        var dependencies: [PageDependency]
        var renderedAt: UInt64
    }

    /// A rendering under way, and the sequence it began at.
    private struct Flight {
        var id: UInt64
        var start: UInt64
        var task: Task<RenderedPage, any Error>
    }

    private struct State {
        /// Two generations: pages are added to `recent`; when it fills half the budget it
        /// becomes `older` and the pages in the previous `older` that were not asked for since
        /// are dropped. A page asked for from `older` moves back to `recent`.
        var recent: [String: Entry] = [:]
        var older: [String: Entry] = [:]
        var recentBytes = 0
        var sequence: UInt64 = 0
        var changedAt: [PageDependency: UInt64] = [:]
        /// Pages rendered before this are stale: the changes before it are forgotten.
        var floor: UInt64 = 0
        /// Blogs' owners (they never change), so that a blog's change reaches its owner's profile.
        var owners: [BlogID: IdentityID] = [:]
        /// Renderings under way for anonymous readers.
        var flights: [String: Flight] = [:]
        var flightsStarted: UInt64 = 0

        func isFresh(_ entry: Entry) -> Bool {
            entry.renderedAt >= floor && entry.dependencies.allSatisfy { (changedAt[$0] ?? 0) <= entry.renderedAt }
        }
    }

    private let state = Mutex(State())
    /// Where the owners of blogs are looked up.
    let database: any BlogStore
    let byteBudget: Int
    /// How many changed dependencies are remembered before they are forgotten all at once.
    let changeMemory: Int

    init(database: any BlogStore, byteBudget: Int, changeMemory: Int = 100_000) {
        self.database = database
        self.byteBudget = byteBudget
        self.changeMemory = changeMemory
    }

    /// Taken before reading what a page shows, and given back to `keep`.
    func stamp() -> UInt64 {
        state.withLock { $0.sequence }
    }

    /// The page kept at `key`: fresh, or stale (for its date), or none.
    func page(at key: String) -> (page: CachedPage, isFresh: Bool)? {
        state.withLock { state in
            if let entry = state.recent[key] { return (entry.page, state.isFresh(entry)) }
            guard let entry = state.older.removeValue(forKey: key) else { return nil }
            let fresh = state.isFresh(entry)
            if fresh { Self.add(entry, at: key, to: &state, budget: byteBudget) }
            return (entry.page, fresh)
        }
    }

    /// The document kept at `key` if it is fresh and anyone may read it: what a reader without
    /// a session is answered, with no database work.
    func documentForAnyone(at key: String) -> RenderedDocument? {
        guard let kept = page(at: key), kept.isFresh, kept.page.isForAnyone else { return nil }
        return kept.page.document
    }

    /// Keeps `page`, rendered from what the database held after `stamp`.
    func keep(_ page: CachedPage, at key: String, dependencies: [PageDependency], renderedAfter stamp: UInt64) {
        guard page.cost <= byteBudget / 8 else { return }
        state.withLock { state in
            state.older[key] = nil
            if let previous = state.recent.removeValue(forKey: key) { state.recentBytes -= previous.page.cost }
            Self.add(Entry(page: page, dependencies: dependencies, renderedAt: stamp), at: key, to: &state, budget: byteBudget)
        }
    }

    private static func add(_ entry: Entry, at key: String, to state: inout State, budget: Int) {
        if state.recentBytes + entry.page.cost > budget / 2 {
            state.older = state.recent
            state.recent = [:]
            state.recentBytes = 0
        }
        state.recent[key] = entry
        state.recentBytes += entry.page.cost
    }

    /// The page at `key` rendered by `render` and kept, or by a rendering of it already under
    /// way: anonymous readers who find a page stale at once cause one rendering, not one each.
    /// A reader who joins a rendering that began before the last change of anything the page
    /// shows renders it again. Only for anonymous readers: what a rendering reads depends on
    /// who may read what.
    func rendering(_ key: String, _ render: @escaping @Sendable () async throws -> RenderedPage) async throws -> CachedPage {
        let arrival = stamp()
        let (flight, joined) = state.withLock { state -> (Flight, Bool) in
            if let flight = state.flights[key] { return (flight, true) }
            state.flightsStarted += 1
            let (id, start) = (state.flightsStarted, state.sequence)
            let task = Task { [self] in
                defer { self.state.withLock { if $0.flights[key]?.id == id { $0.flights[key] = nil } } }
                let rendered = try await render()
                keep(rendered.page, at: key, dependencies: rendered.dependencies, renderedAfter: start)
                return rendered
            }
            let flight = Flight(id: id, start: start, task: task)
            state.flights[key] = flight
            return (flight, false)
        }
        guard joined else { return try await flight.task.value.page }
        do {
            let rendered = try await flight.task.value
            let current = state.withLock { $0.isFresh(Entry(page: rendered.page, dependencies: rendered.dependencies, renderedAt: flight.start)) }
            if current { return rendered.page }
        } catch {
            if flight.start == arrival { throw error }
        }
        let rendered = try await render()
        keep(rendered.page, at: key, dependencies: rendered.dependencies, renderedAfter: arrival)
        return rendered.page
    }

    /// Makes every page that depends on `dependency` stale.
    func changed(_ dependency: PageDependency) {
        state.withLock { state in
            state.sequence += 1
            if state.changedAt.count >= changeMemory {
                state.changedAt = [:]
                state.floor = state.sequence
            }
            state.changedAt[dependency] = state.sequence
        }
    }

    /// Makes the pages of `blog` stale, the sitemap index, and its owner's profile (which
    /// lists the blog by its title, if the blog is linked and visible). The owner is asked of the database once
    /// per blog; a blog that is gone has none, but its owner's profile depends on it by name.
    func blogChanged(_ blog: BlogID) async {
        var owner = state.withLock { $0.owners[blog] }
        if owner == nil, let found = try? await database.owner(ofBlog: blog) {
            learn(owner: found, of: blog)
            owner = found
        }
        changed(.blog(blog))
        changed(.sitemap)
        if let owner { changed(.blogsOf(owner)) }
    }

    /// Makes the pages of `identity`'s profile stale, and the sitemap index: a name or photo is
    /// on the pages of their blogs and of the posts they commented on, whose dates the database
    /// moved with it.
    func profileChanged(_ identity: IdentityID) {
        changed(.profile(identity))
        changed(.sitemap)
    }

    func learn(owner: IdentityID, of blog: BlogID) {
        state.withLock { state in
            if state.owners.count >= changeMemory { state.owners = [:] }
            state.owners[blog] = owner
        }
    }

    /// How many pages are kept, and their bytes, for tests and the operator.
    var usage: (pages: Int, bytes: Int) {
        state.withLock { state in
            (state.recent.count + state.older.count, state.recentBytes + state.older.values.reduce(0) { $0 + $1.page.cost })
        }
    }
}
