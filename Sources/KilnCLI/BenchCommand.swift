import ArgumentParser
import Foundation

/// `kiln bench prog.wasm [--invoke NAME ARGS...] [--runs N]`: the same module compiled by Kiln
/// and interpreted by WasmKit, checked to behave the same, and timed.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a module compiled by Kiln against WasmKit's interpreter, checking both agree.",
        discussion: """
            Kiln's options come before the module, the program's arguments after it (as with \
            kiln run). Without --invoke the module is run as a WASI command (_start), with the given \
            arguments, --env and --dir, on both engines; their stdout (captured to a file) and \
            exit codes must match. With --invoke the export's results must match bit for bit. \
            Every run uses a fresh instance. Prints compile time (Kiln: through the compilation \
            cache, so a hit shows the cached load, and always at the level asked for: unlike \
            kiln run, a miss never runs the fast tier instead; WasmKit: parsing), then the medians of \
            instantiation and run time over --runs runs, and the speedup. Exits 1 if the engines \
            disagree, 134 if one traps.
            """
    )

    @Argument(help: "The module: binary .wasm or text .wat.")
    var input: String

    @Option(help: "The exported function to call (instead of running _start).")
    var invoke: String?

    @Option(help: "Runs per engine; the median is reported.")
    var runs: Int = 5

    @OptionGroup var wasi: WASIFlags

    @OptionGroup var guest: GuestArguments
    var arguments: [String] { guest.values }

    @OptionGroup var flags: CompileFlags
    @OptionGroup var cache: CacheFlags

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        try reportingErrors(file: input) {
            let wasm = try readModule(at: input)
            let clock = ContinuousClock()

            var started = clock.now
            let progress = ProgressLine(label: "compiling")
            let provided = try cache.provider.module(for: wasm, options: flags.options, progress: progress)
            defer { withExtendedLifetime(provided.keepAlive) { provided.module.close() } }
            let kilnCompile = clock.now - started
            let kiln = KilnBenchEngine(module: provided.module)

            started = clock.now
            let wasmKit = try WasmKitBenchEngine(wasm: wasm)
            let wasmKitCompile = clock.now - started

            let capture = try StdoutCapture()
            let config = BenchWASI(
                arguments: [input] + (invoke == nil ? arguments : []), environment: try wasi.guestEnvironment(),
                preopens: wasi.directories.map(WASIFlags.split), stdout: capture.fd)
            let workload: BenchWorkload = try invoke.map { name in
                .invoke(name: name, arguments: try kiln.parseArguments(arguments, for: name, wasi: config))
            } ?? .command

            do {
                var kilnTimes: [BenchTiming] = [], wasmKitTimes: [BenchTiming] = []
                var kilnOutcome = BenchOutcome(), wasmKitOutcome = BenchOutcome()
                let progress = ProgressLine(label: "bench", unit: "runs")
                // Interleaved, so that drift in machine load affects both engines alike.
                for run in 0..<runs {
                    progress.update(run, of: runs)
                    let (k, kOut) = try kiln.run(workload, wasi: config, capture: capture)
                    let (w, wOut) = try wasmKit.run(workload, wasi: config, capture: capture)
                    kilnTimes.append(k)
                    wasmKitTimes.append(w)
                    if run == 0 { (kilnOutcome, wasmKitOutcome) = (kOut, wOut) }
                }
                progress.finish()
                try BenchReport.checkAgreement(kiln: kilnOutcome, wasmKit: wasmKitOutcome)
                BenchReport(
                    title: "\(input): \(invoke.map { "--invoke \($0)" } ?? "_start"), median of \(runs) run(s)",
                    kilnCompile: kilnCompile, kilnCached: provided.wasCached, wasmKitCompile: wasmKitCompile,
                    kiln: kilnTimes, wasmKit: wasmKitTimes, outcome: kilnOutcome
                ).print()
            } catch let failure as BenchFailure {
                printError("\(failure.engine): \(failure.message)")
                throw ReportedFailure(status: TrapReport.exitStatus)
            }
        }
    }
}
