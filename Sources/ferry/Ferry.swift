import ArgumentParser

@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Moves blogs off a closing host and keeps their owners' messenger identities intact.",
        subcommands: [Import.self, Export.self, Claims.self, SyntheticExport.self, Serve.self, Seed.self, Bench.self],
        defaultSubcommand: Serve.self
    )
}
