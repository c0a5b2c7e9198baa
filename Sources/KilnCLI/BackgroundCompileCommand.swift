import ArgumentParser
import Foundation
import KilnCache

/// `kiln cache background-compile --key KEY [compile flags] < module.wasm`: the process a tiered
/// `kiln run` starts (TieredCompilation) to fill the optimised entry. Hidden: not a user command.
///
/// It reads the module from stdin (the run hands it over in a memfd, so it does not matter if the
/// input file changes or disappears meanwhile), lowers its own priority, and compiles only if
/// the key still matches (a `kiln` upgraded in between would fill an entry nobody asked for) and
/// no other process is compiling it. Prints what it did (`BackgroundCompileOutcome`): compiled,
/// alreadyCached, busy or gaveUp.
struct BackgroundCompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "background-compile",
        abstract: "Compile a module read from stdin into the cache, unless another process is (used by kiln run).",
        shouldDisplay: false
    )

    @Option(help: "The cache key the run computed; the compile is refused if it differs.")
    var key: String

    @OptionGroup var flags: CompileFlags

    /// Test hook: seconds to sleep after the entry's files are written and before they are
    /// renamed into place, so that a test can kill the compile at its most delicate moment.
    static let pauseVariable = "KILN_TEST_PAUSE_BEFORE_PUBLISH"

    func run() throws {
        try reportingErrors(file: "<stdin>") {
            // Whatever the user runs next comes first; nice() adds to the inherited niceness.
            _ = nice(10)
            let wasm = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            let cache = try CompilationCache.open(mustExist: true, _beforePublish: Self.testPause())
            let computed = try cache.key(for: wasm, options: flags.options)
            guard computed.hex == key else {
                throw InputError("the module or the compiler changed since the run that asked for \(key); nothing compiled")
            }
            let outcome = try cache.compileInBackground(wasm: wasm, options: flags.options, key: computed)
            print(outcome.rawValue)
        }
    }

    private static func testPause() -> (@Sendable () -> Void)? {
        guard let seconds = ProcessInfo.processInfo.environment[pauseVariable].flatMap(Double.init) else { return nil }
        return { Thread.sleep(forTimeInterval: seconds) }
    }
}
