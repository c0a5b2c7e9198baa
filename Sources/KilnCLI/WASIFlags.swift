import ArgumentParser
import Foundation
import Kiln

/// `--dir` and `--env`: what a WASI program may see of the host.
struct WASIFlags: ParsableArguments {
    @Option(
        name: .customLong("dir"),
        help: ArgumentHelp(
            "Give the program a host directory, as GUEST (default: the same name; '.' is where relative paths resolve). Repeatable.",
            valueName: "HOST[::GUEST]"))
    var directories: [String] = []

    @Option(
        name: .customLong("env"),
        help: ArgumentHelp("Set an environment variable for the program; KEY alone copies kiln's own value of KEY. Repeatable.", valueName: "KEY[=VALUE]"))
    var environment: [String] = []

    @Flag(help: "Give the program kiln's whole environment (by default it sees only --env's variables).")
    var inheritEnv = false

    /// Imports with WASI bound: `arguments` as the guest's argv (the program name first), the
    /// `guestEnvironment()`, the `--dir` preopens in order, the host's stdio unless `stdout` is
    /// given. Binding WASI costs nothing for a module that does not import it.
    func imports(arguments: [String], stdout: Int32? = nil) throws -> Imports {
        let imports = Imports()
        try imports.bindWASI(arguments: arguments)
        try imports.replaceWASIEnvironment(try guestEnvironment().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        for spec in directories {
            let (host, guest) = Self.split(spec)
            try imports.preopenWASI(host: host, guest: guest)
        }
        if let stdout { try imports.setWASIStdio(stdout: stdout) }
        return imports
    }

    /// The guest's environment: `--env`'s variables, on top of kiln's own with `--inherit-env`.
    /// A guest sees nothing of the host it was not given, as under Wasmtime. `--env KEY` copies
    /// kiln's value of KEY (nothing when it is unset), as `wasmtime run --env KEY` does.
    func guestEnvironment() throws -> [String: String] {
        var environment = inheritEnv ? ProcessInfo.processInfo.environment : [:]
        for entry in self.environment {
            guard let key = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first, !key.isEmpty else {
                throw InputError("--env \(entry): expected KEY or KEY=VALUE")
            }
            if let equals = entry.firstIndex(of: "=") {
                environment[String(key)] = String(entry[entry.index(after: equals)...])
            } else if let value = ProcessInfo.processInfo.environment[entry] {
                environment[entry] = value
            }
        }
        return environment
    }

    /// "HOST::GUEST" -> (HOST, GUEST); "HOST" -> (HOST, nil). "::" rather than ":" so that host
    /// paths with a colon still work, as in Wasmtime's `--dir`.
    static func split(_ spec: String) -> (host: String, guest: String?) {
        guard let range = spec.range(of: "::") else { return (spec, nil) }
        return (String(spec[..<range.lowerBound]), String(spec[range.upperBound...]))
    }
}
