import ArgumentParser
import Foundation
import Kiln

/// `kiln run in.wasm --invoke NAME ARGS...`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Compile a module, call one export and print its results, one per line.",
        discussion: """
            Arguments are read according to the export's parameter types: integers in decimal or \
            0x hex, floats in decimal, as a hex float or as a 0x bit pattern. A trap prints \
            "trap: <message>" on stderr and exits with status 1.
            """
    )

    @Argument(help: "The module: binary .wasm or text .wat.")
    var input: String

    @Option(help: "The exported function to call.")
    var invoke: String

    // allUnrecognized so that negative numbers ("-5") are taken as arguments, not as options.
    @Argument(parsing: .allUnrecognized, help: "Arguments for the function.")
    var arguments: [String] = []

    @OptionGroup var flags: CompileFlags

    /// Where compiled code comes from; the compilation cache replaces this.
    var provider: any CompiledModuleProvider { TemporaryCompilation() }

    func run() throws {
        try reportingErrors(file: input) {
            let wasm = try readModule(at: input)
            let progress = ProgressLine(label: "compiling", unit: "functions")
            let module = try provider.module(for: wasm, options: flags.options, progress: progress)
            defer { module.close() }
            let instance = try Instance(module: module, imports: Imports())
            defer { instance.close() }

            let function = try instance.function(invoke)
            let types = function.parameters
            guard types.count == arguments.count else {
                let signature = types.map(\.description).joined(separator: " ")
                throw InputError("\(invoke) takes \(types.count) argument(s) (\(signature)), \(arguments.count) given")
            }
            let args = try zip(arguments, types).map { text, type throws(InputError) in try ValueText.parse(text, as: type) }

            let results: [Value]
            do {
                results = try function.call(args)
            } catch let error as KilnError where error.exitStatus != nil {
                throw ReportedFailure(status: error.exitStatus!)
            } catch let error as KilnError where error.isTrap {
                printError("trap: \(error.message)")
                throw ReportedFailure()
            }
            print(results.map(ValueText.format).joined(separator: "\n"), terminator: results.isEmpty ? "" : "\n")
        }
    }
}
