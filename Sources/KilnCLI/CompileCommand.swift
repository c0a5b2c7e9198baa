import ArgumentParser
import Foundation
import KilnCache
import KilnCompiler

/// `kiln compile in.wasm -o out.so`, or `kiln compile in.wasm --cache` to fill the cache.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a .wasm (or .wat) module to a native shared object.",
        discussion: """
            With --cache the module is compiled into the on-disk compilation cache (or found \
            there), so a later `kiln run` of the same bytes and options is a hit; with -o as well, \
            the cached shared object is also copied to that path.
            """
    )

    @Argument(help: "The module: binary .wasm or text .wat.")
    var input: String

    @Option(name: .short, help: ArgumentHelp("The shared object to write (default: the input with .so).", valueName: "output"))
    var output: String?

    @Flag(help: "Store the compiled module in the compilation cache (no .so is written unless -o is given).")
    var cache = false

    @OptionGroup var flags: CompileFlags

    func run() throws {
        try reportingErrors(file: input) {
            let wasm = try readModule(at: input)
            let progress = ProgressLine(label: "compiling")
            defer { progress.finish() }
            if cache {
                try compileIntoCache(wasm, progress: progress)
                return
            }
            let outputPath = output ?? (input as NSString).deletingPathExtension + ".so"
            var compiler = flags.compiler
            let file = input
            compiler.warn = { Compiler.printWarning("\(file): \($0)") }
            try compiler.compile(wasm: wasm, to: outputPath) { progress.update($0) }
        }
    }

    /// Prints "cached KEY (compiled|already cached)" and copies the entry to -o if given.
    private func compileIntoCache(_ wasm: [UInt8], progress: ProgressLine) throws {
        let artifact = try CompilationCache.open().compiledModule(for: wasm, options: flags.options) { progress.update($0) }
        progress.finish()
        if let output {
            // From the verified copy, not the entry's path: the entry may be evicted meanwhile.
            try copyAtomically(from: artifact.loadPath, to: output)
        }
        print("cached \(artifact.key) (\(artifact.wasHit ? "already cached" : "compiled"))")
    }

    /// Writes `destination` through a temporary file and a rename, as the compiler does, so a
    /// reader never sees a half-written shared object.
    private func copyAtomically(from source: String, to destination: String) throws {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw InputError("cannot read the cached module: \(String(cString: strerror(errno)))")
        }
        do {
            try data.write(to: URL(fileURLWithPath: destination), options: .atomic)
        } catch {
            throw InputError("cannot write \(destination): \(error.localizedDescription)")
        }
    }
}
