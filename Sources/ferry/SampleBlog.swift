import FerryCore
import FerryStore
import Foundation

/// A public blog of synthetic posts of realistic size (a few paragraphs, a link, a photo,
/// tags), one a day up to now, for demos and the feed benchmark.
struct SampleBlog {
    let slug: BlogSlug
    let posts: Int

    func write(to database: any Store, owner handle: Handle) async throws {
        guard let owner = try await database.identity(handle: handle) else { return }
        _ = try await database.createBlog(
            slug: slug, owner: owner.id, title: "Sample travels", language: LanguageTag(validating: "en"), visibility: .public
        )
        let now = Date()
        for number in 0..<posts {
            let day = now.addingTimeInterval(-Double(posts - number) * 86_400)
            _ = try await database.createPost(in: slug, by: owner.id, draft: draft(number), publishedAt: day)
        }
    }

    private func draft(_ number: Int) -> PostDraft {
        let paragraph =
            "We left early and walked along the river until the fog lifted; the market was already busy, "
            + "and the bakery on the corner still had the bread we remembered from last year."
        let content = """
            <p>\(paragraph)</p>
            <p><img src="https://photos.example/\(number).jpg" alt="The river at dawn, day \(number)"></p>
            <p>\(paragraph) More on <a href="https://example.org/guide/\(number)">the guide we used</a>.</p>
            <blockquote><p>\(paragraph)</p></blockquote>
            <ul><li>Distance: \(number % 20 + 3) km</li><li>Weather: fair &amp; cool</li></ul>
            """
        return PostDraft(title: "Day \(number + 1): along the river", content: content, tags: ["travel", "day \(number % 7 + 1)"])
    }
}
