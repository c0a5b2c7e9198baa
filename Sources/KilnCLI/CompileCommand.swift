import ArgumentParser
import Foundation
import KilnCompiler

/// `kiln compile in.wasm -o out.so`
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a .wasm (or .wat) module to a native shared object."
    )

    @Argument(help: "The module: binary .wasm or text .wat.")
    var input: String

    @Option(name: .short, help: ArgumentHelp("The shared object to write (default: the input with .so).", valueName: "output"))
    var output: String?

    @OptionGroup var flags: CompileFlags

    func run() throws {
        try reportingErrors(file: input) {
            let wasm = try readModule(at: input)
            let outputPath = output ?? (input as NSString).deletingPathExtension + ".so"
            let progress = ProgressLine(label: "compiling", unit: "functions")
            defer { progress.finish() }
            try Compiler(options: flags.options).compile(wasm: wasm, to: outputPath) { done, total in
                progress.update(done, of: total)
            }
        }
    }
}
