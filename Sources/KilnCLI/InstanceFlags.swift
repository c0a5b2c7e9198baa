import ArgumentParser
import Kiln

/// `--max-memory`, `--max-stack` and `--unknown-imports`: how far the guest may grow its memories
/// and its stack, and what stands in for the functions it imports that nobody provides.
struct InstanceFlags: ParsableArguments {
    enum UnknownImports: String, ExpressibleByArgument, CaseIterable {
        case trap, `default`
    }

    @Option(help: ArgumentHelp(
        "Bind every function import nobody provides to one that traps when called (trap) or returns zeros (default), instead of refusing the module.",
        valueName: "trap|default"))
    var unknownImports: UnknownImports?

    @Option(
        name: .customLong("max-memory"),
        help: ArgumentHelp(
            "Cap each linear memory at SIZE (e.g. 64M, 1GiB; whole 64 KiB pages): memory.grow beyond it fails, as the program sees when out of memory.",
            valueName: "SIZE"))
    var maxMemory: String?

    @Option(
        name: .customLong("max-stack"),
        help: ArgumentHelp(
            "Give the program SIZE of native stack (e.g. 512K, 64M), less or more than the default of about 8 MiB: deeper calls trap \"call stack exhausted\".",
            valueName: "SIZE"))
    var maxStack: String?

    func validate() throws {
        _ = try maximumMemoryBytes()
        _ = try maximumStackBytes()
    }

    /// The memory cap in bytes, if one was given.
    func maximumMemoryBytes() throws -> UInt64? {
        try size(maxMemory, option: "--max-memory", example: "65536, 64M or 1GiB")
    }

    /// The stack size in bytes, if one was given.
    func maximumStackBytes() throws -> UInt64? {
        try size(maxStack, option: "--max-stack", example: "512K or 64M")
    }

    private func size(_ text: String?, option: String, example: String) throws -> UInt64? {
        guard let text else { return nil }
        guard let bytes = SizeText.parse(text), bytes > 0 else {
            throw ValidationError("\(option) \(text): expected a size such as \(example)")
        }
        return bytes
    }

    func apply(to imports: Imports) throws {
        imports.limitMemory(toBytes: try maximumMemoryBytes())
        switch unknownImports {
        case nil: break
        case .trap: imports.bindUnknownFunctionImports(.trap)
        case .default: imports.bindUnknownFunctionImports(.returnDefaults)
        }
    }
}
