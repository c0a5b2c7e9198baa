import ArgumentParser
import KilnCompiler
import struct KilnFrontend.FeatureSet

/// `-O0` … `-O3`, spelled the way C compilers spell them.
enum OptimizationLevel: Int, EnumerableFlag {
    case O0 = 0, O1, O2, O3

    static func name(for value: OptimizationLevel) -> NameSpecification {
        .customLong("O\(value.rawValue)", withSingleDash: true)
    }

    static func help(for value: OptimizationLevel) -> ArgumentHelp? {
        switch value {
        case .O0: "Do not optimise (fastest compile)."
        case .O1: "Optimise lightly: the fast tier."
        case .O2: "Optimise (the default)."
        case .O3: "Optimise aggressively."
        }
    }
}

/// The code-generation options every command that compiles shares.
struct CompileFlags: ParsableArguments {
    /// Optional so that an explicit -O2 can be told from the default: `kiln run` tiers only the
    /// default level (an explicit level is compiled exactly as asked).
    @Flag var optimization: OptimizationLevel?

    /// The level to compile at.
    var level: OptimizationLevel { optimization ?? .O2 }

    /// True when no -O option was given.
    var levelIsDefault: Bool { optimization == nil }

    @Option(help: "Target CPU: the host's by default, 'generic' for a portable x86-64 object.")
    var cpu: String?

    @Flag(help: "Check for interruption (kiln_instance_interrupt, kiln run --timeout) on every loop iteration.")
    var interruptible = false

    @Flag(help: "Take fuel (kiln run --fuel, kiln_imports_set_fuel): one unit at every function entry and loop iteration.")
    var metered = false

    @Flag(help: "Give every relaxed-SIMD instruction its deterministic result, the same on every CPU, instead of the host CPU's fastest allowed one.")
    var deterministicRelaxedSimd = false

    @Flag(name: [.customShort("g"), .customLong("debug-info")], help: ArgumentHelp(
        "Keep the module's DWARF line tables and function names, translated to native code, so that gdb shows its source lines."))
    var debugInfo = false

    @Option(name: [.customShort("j", allowingJoined: true), .customLong("jobs")], help: ArgumentHelp(
        "Compile on this many threads (kiln wast: run this many scripts at once); default: the cores available. The output is the same for every value.",
        valueName: "n"))
    var jobs: Int?

    @Option(name: .customLong("feature"), help: ArgumentHelp(
        "Enable a WebAssembly proposal (repeatable).", discussion: FeatureFlagHelp.table, valueName: "name"))
    var enabledFeatures: [String] = []

    @Option(name: .customLong("no-feature"), help: ArgumentHelp(
        "Disable a WebAssembly proposal (repeatable); see --feature for the names.", valueName: "name"))
    var disabledFeatures: [String] = []

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("-j takes a number of threads, 1 or more") }
        _ = try features()
    }

    var options: CompileOptions {
        // validate() has checked the names, so this cannot fail here.
        CompileOptions(
            optimizationLevel: level.rawValue, cpu: cpu, features: (try? features()) ?? .default, interruptible: interruptible,
            metered: metered, debugInfo: debugInfo, deterministicRelaxedSimd: deterministicRelaxedSimd)
    }

    /// The default set with --feature and then --no-feature applied.
    func features() throws -> FeatureSet {
        var set = FeatureSet.default
        for name in enabledFeatures {
            let feature = try FeatureFlagHelp.feature(named: name)
            guard feature.isSupported else {
                throw ValidationError("--feature \(name): Kiln does not support \(feature.displayName) yet")
            }
            set.insert(feature)
        }
        for name in disabledFeatures { set.remove(try FeatureFlagHelp.feature(named: name)) }
        // Turning a proposal off also turns off the defaults built on it (`--no-feature simd`
        // takes relaxed SIMD with it); only one asked for by name is an error.
        let named = try Set(enabledFeatures.map { try FeatureFlagHelp.feature(named: $0) })
        while let (feature, _) = set.missingRequirement, !named.contains(feature) { set.remove(feature) }
        if let (feature, requirement) = set.missingRequirement {
            throw ValidationError("\(feature.cliName) needs \(requirement.cliName), which is disabled")
        }
        return set
    }

    var compiler: Compiler { Compiler(options: options, jobs: jobs ?? Compiler.defaultJobs) }

    /// The same flags as command-line words, to pass on to worker processes.
    var arguments: [String] {
        var words = ["-O\(level.rawValue)"]
        if let cpu { words += ["--cpu", cpu] }
        if interruptible { words.append("--interruptible") }
        if metered { words.append("--metered") }
        if debugInfo { words.append("--debug-info") }
        if deterministicRelaxedSimd { words.append("--deterministic-relaxed-simd") }
        for name in enabledFeatures { words += ["--feature", name] }
        for name in disabledFeatures { words += ["--no-feature", name] }
        return words
    }
}
