import ArgumentParser
import Kiln

/// `--max-memory` and `--unknown-imports`: how far the guest may grow its memories, and what
/// stands in for the functions it imports that nobody provides.
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

    func validate() throws {
        _ = try maximumMemoryBytes()
    }

    /// The cap in bytes, if one was given.
    func maximumMemoryBytes() throws -> UInt64? {
        guard let text = maxMemory else { return nil }
        guard let bytes = SizeText.parse(text), bytes > 0 else {
            throw ValidationError("--max-memory \(text): expected a size such as 65536, 64M or 1GiB")
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
