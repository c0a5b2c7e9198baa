import ArgumentParser
import Foundation
import Kiln
import KilnCompiler

/// `kiln run [--dir ...] [--env ...] prog.wasm ARGS...` runs a WASI command;
/// `kiln run --invoke NAME in.wasm ARGS...` calls one export and prints its results. Kiln's own
/// options come before the module; everything after it is the program's, as with `wasmtime run`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a WASI program, or call one export and print its results, one per line.",
        discussion: """
            Kiln's options come before the module; every argument after it goes to the program \
            (or the --invoke function) as it is, options included: `kiln run prog.wasm --help` \
            passes --help to the program.

            Without --invoke the module must export _start (a WASI command): it runs with the \
            given arguments (argv[0] is the module path), only --env's environment variables \
            (kiln's whole environment as well with --inherit-env), \
            stdio and the --dir directories, and kiln exits with the program's exit status (0 when \
            _start returns). With --invoke, _initialize runs first when exported (a WASI \
            reactor), then the export is called with the arguments read according to its \
            parameter types: integers in decimal or 0x hex, floats in decimal, as a hex float or \
            as a 0x bit pattern.

            A trap prints "trap: <message>" and a backtrace of Wasm function names (from the name \
            section, else wasm-function[N]) on stderr and exits with status 134, as a native \
            program that aborts does.

            Compiled code comes from the on-disk cache ($KILN_CACHE_DIR, else \
            $XDG_CACHE_HOME/kiln, else ~/.cache/kiln), compiling on a miss; --no-cache bypasses it. \
            A shared object from `kiln compile` is run as it is: no compiling and no cache, so \
            the compile options do not apply.

            Without an -O option, a miss does not wait for the optimiser: the fast tier (-O1) is \
            compiled and run at once, and a background process (its own session, lower \
            priority, output discarded) compiles the optimised code into the cache for the next \
            run; `kiln cache list` shows each entry's tier. --no-background-compile or \
            KILN_BACKGROUND_COMPILE=0 compiles at -O2 before running instead, and an explicit -O \
            level is always compiled exactly.
            """
    )

    @Argument(help: "The module: binary .wasm, text .wat, or a .so from kiln compile.")
    var input: String

    @Option(help: "The exported function to call (instead of running _start).")
    var invoke: String?

    @Option(help: ArgumentHelp("perf: load the code from a file that `perf report` can read after the run, so that it names Wasm functions.", valueName: "profiler"))
    var profile: ProfilingKind?

    @OptionGroup var wasi: WASIFlags
    @OptionGroup var instanceFlags: InstanceFlags

    @Option(help: ArgumentHelp(
        "Interrupt the program after this long (e.g. 2s, 500ms, 1m): it traps \"interrupted\". Compiles interruptible code (--interruptible).",
        valueName: "duration"))
    var timeout: String?

    @OptionGroup var guest: GuestArguments
    var arguments: [String] { guest.values }

    @OptionGroup var flags: CompileFlags
    @OptionGroup var cache: CacheFlags
    @OptionGroup var background: BackgroundCompileFlags

    @Option(help: ArgumentHelp(
        "Give the program N units of fuel: each function entry and loop iteration takes one, and it traps \"all fuel consumed\" when none is left. Compiles metered code (--metered).",
        valueName: "N"))
    var fuel: UInt64?

    func validate() throws {
        if let timeout, DurationText.seconds(timeout) == nil {
            throw ValidationError("--timeout \(timeout): expected a duration such as 2s, 500ms or 1m")
        }
    }

    /// A --timeout needs interruptible code, as --interruptible asks for.
    private var interruptible: Bool { flags.interruptible || timeout != nil }
    /// --fuel needs metered code, as --metered asks for.
    private var metered: Bool { flags.metered || fuel != nil }

    /// The compile flags' options, interruptible and metered when they must be.
    private var compileOptions: CompileOptions {
        var options = flags.options
        options.interruptible = interruptible
        options.metered = metered
        return options
    }

    /// The same as command-line words, for the background compile.
    private var compileArguments: [String] {
        flags.arguments + (interruptible && !flags.interruptible ? ["--interruptible"] : [])
            + (metered && !flags.metered ? ["--metered"] : [])
    }

    func run() throws {
        try reportingErrors(file: input) {
            var provided = try loadModule()
            if profile == .perf, !isSharedObject(at: input) { provided = try ProfilingCopy.loadForPerf(provided, input: input) }
            defer { withExtendedLifetime(provided.keepAlive) { provided.module.close() } }

            let argv = [input] + (invoke == nil ? arguments : [])
            let imports = try wasi.imports(arguments: argv)
            // A wasi-threads program imports its shared memory: the host provides it, as Wasmtime does.
            try imports.createSharedMemories(for: provided.module)
            // And it ends as a process does, whatever its other threads are doing.
            let file = input
            try imports.onWASIProgramEnd { end in TrapReport.exitAfter(end, file: file) }
            try instanceFlags.apply(to: imports)
            if let fuel { imports.setFuel(fuel) }
            try StackThread.run(maximumBytes: try instanceFlags.maximumStackBytes()) {
                try instantiateAndRun(provided.module, imports: imports)
            }
        }
    }

    private func instantiateAndRun(_ module: Kiln.Module, imports: Imports) throws {
        // The start function runs here, and may trap like any other call.
        let instance = try TrapReport.calling { try Instance(module: module, imports: imports) }
        defer { instance.close() }
        let watchdog = Watchdog(instance.interrupter, after: timeout.flatMap(DurationText.seconds))
        defer { watchdog.disarm() }

        if let invoke {
            try call(invoke, in: instance)
        } else {
            try start(instance)
        }
    }

    /// A compiled module is loaded as it is; Wasm comes through the cache (or a temporary compile).
    private func loadModule() throws -> ProvidedModule {
        if isSharedObject(at: input) {
            // Absolute: dlopen looks a name without a slash up in the library path, not here.
            let path = URL(fileURLWithPath: input).path
            return ProvidedModule(module: try Kiln.Module(path: path), keepAlive: nil, wasCached: false)
        }
        let wasm = try readModule(at: input)
        let progress = ProgressLine(label: "compiling")
        // Only the default level tiers: a level the user names is the level they get. (A bad
        // KILN_BACKGROUND_COMPILE is reported whatever the level.)
        let allowed = try background.allowed()
        let tiering = flags.levelIsDefault && allowed
        return try cache.provider(tieringWith: tiering ? compileArguments : nil, recordingWarmIndex: true)
            .module(for: wasm, options: compileOptions, progress: progress)
    }

    /// Runs a WASI command; returning normally is exit status 0.
    private func start(_ instance: Instance) throws {
        guard case .function(let start) = instance.export("_start") else {
            throw InputError("\(input): no _start export (not a WASI command); use --invoke NAME to call an export")
        }
        // The guest writes to fd 1 directly: what Swift has buffered must go out first.
        fflush(nil)
        try TrapReport.calling { try start.call() }
    }

    /// Calls one export and prints its results.
    private func call(_ name: String, in instance: Instance) throws {
        let function = try instance.function(name)
        let types = function.parameters
        guard types.count == arguments.count else {
            let signature = types.map(\.description).joined(separator: " ")
            throw InputError("\(name) takes \(types.count) argument(s) (\(signature)), \(arguments.count) given")
        }
        let args = try zip(arguments, types).map { text, type throws(InputError) in try ValueText.parse(text, as: type) }

        fflush(nil)
        let results = try TrapReport.calling { () throws -> [Value] in
            // A reactor sets up its runtime (constructors, the heap) in _initialize.
            if case .function(let initialize) = instance.export("_initialize") { try initialize.call() }
            return try function.call(args)
        }
        print(results.map(ValueText.format).joined(separator: "\n"), terminator: results.isEmpty ? "" : "\n")
    }
}
