import ArgumentParser
import KilnCompiler
import KilnLLVM
import KilnLowering

/// `kiln`: compile WebAssembly ahead of time to native shared objects, run it, and check it
/// against the spec test suite.
public struct KilnCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kiln",
        abstract: "Ahead-of-time WebAssembly-to-native compiler.",
        // What a compiled module must match: Kiln's version, the runtime ABI, the code generator.
        version: "kiln \(kilnVersion) (ABI \(ABIInfo.version), LLVM \(llvmVersion))",
        subcommands: [CompileCommand.self, RunCommand.self, BenchCommand.self, WastCommand.self, CacheCommand.self],
        // `kiln prog.wasm ARGS...` runs it, as `wasmtime prog.wasm` does.
        defaultSubcommand: RunCommand.self
    )

    public init() {}
}
