import ArgumentParser

/// `kiln`: compile WebAssembly ahead of time to native shared objects, run it, and check it
/// against the spec test suite.
public struct KilnCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kiln",
        abstract: "Ahead-of-time WebAssembly-to-native compiler.",
        subcommands: [CompileCommand.self, RunCommand.self, BenchCommand.self, WastCommand.self, CacheCommand.self]
    )

    public init() {}
}
