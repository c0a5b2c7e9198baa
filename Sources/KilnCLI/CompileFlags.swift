import ArgumentParser
import KilnCompiler

/// `-O0` … `-O3`, spelled the way C compilers spell them.
enum OptimizationLevel: Int, EnumerableFlag {
    case O0 = 0, O1, O2, O3

    static func name(for value: OptimizationLevel) -> NameSpecification {
        .customLong("O\(value.rawValue)", withSingleDash: true)
    }

    static func help(for value: OptimizationLevel) -> ArgumentHelp? {
        switch value {
        case .O0: "Do not optimise (fastest compile)."
        case .O1: "Optimise lightly."
        case .O2: "Optimise."
        case .O3: "Optimise aggressively."
        }
    }
}

/// The code-generation options every command that compiles shares.
struct CompileFlags: ParsableArguments {
    @Flag var optimization: OptimizationLevel = .O2

    @Option(help: "Target CPU: the host's by default, 'generic' for a portable x86-64 object.")
    var cpu: String?

    @Option(name: [.customShort("j", allowingJoined: true), .customLong("jobs")], help: ArgumentHelp(
        "Compile on this many threads (default: the cores available). The output is the same for every value.",
        valueName: "n"))
    var jobs: Int?

    var options: CompileOptions {
        CompileOptions(optimizationLevel: optimization.rawValue, cpu: cpu)
    }

    var compiler: Compiler { Compiler(options: options, jobs: jobs ?? Compiler.defaultJobs) }

    mutating func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("-j takes a number of threads, 1 or more") }
    }

    /// The same flags as command-line words, to pass on to worker processes.
    var arguments: [String] {
        ["-O\(optimization.rawValue)"] + (cpu.map { ["--cpu", $0] } ?? [])
    }
}
