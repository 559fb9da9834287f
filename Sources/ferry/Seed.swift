import ArgumentParser
import FerryBench
import FerryCore
import FerrySeed
import FerryStore
import FerryWeb
import Foundation

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the data folder with synthetic identities and contacts, for demos and benchmarks."
    )

    @OptionGroup var options: ServerOptions

    @Option(help: "How many identities to add.")
    var identities = 1_000

    @Option(help: "Accepted contacts per identity (rounded down to an even number).")
    var contacts = 20

    @Option(help: "Also create a public blog at this slug, owned by the first seeded identity.")
    var blog: String?

    @Option(help: "Posts to write in that blog, one a day up to now (the feed benchmark uses 1000).")
    var posts = 0

    func validate() throws {
        guard identities >= 1 else { throw ValidationError("--identities must be at least 1") }
        guard contacts >= 0 else { throw ValidationError("--contacts must not be negative") }
        guard posts >= 0, posts == 0 || blog != nil else { throw ValidationError("--posts needs --blog") }
    }

    func run() async throws {
        let configuration = try options.configuration()
        let start = ContinuousClock.now
        let hash = try await PasswordHasher(cost: configuration.bcryptCost).hash(Seeder.password)
        let (identities, contacts) = (self.identities, self.contacts)
        let summary = try await withSeedDatabase(configuration) { database in
            try await database.seed(identities: identities, contactsEach: contacts, passwordHash: hash)
        }
        if let blog {
            try await OpenedStore.with(configuration) { store in
                try await SampleBlog(slug: BlogSlug(validating: blog), posts: posts).write(to: store, owner: summary.firstHandle)
            }
        }
        let elapsed = ContinuousClock.now - start
        print(
            """
            Seeded \(summary.identities) identities with \(summary.contactsEach) contacts each in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds]))).
            Sign in as one of them:
              curl -s -X POST http://\(configuration.host):\(configuration.port)/api/sessions \\
                -H 'Content-Type: application/json' \\
                -d '{"handle":"\(summary.firstHandle)","password":"\(Seeder.password)"}'
            """)
    }
}
