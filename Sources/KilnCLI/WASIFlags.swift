import ArgumentParser
import Kiln

/// `--dir` and `--env`: what a WASI program may see of the host.
struct WASIFlags: ParsableArguments {
    @Option(
        name: .customLong("dir"),
        help: ArgumentHelp(
            "Give the program a host directory, as GUEST (default: the same name; '.' is where relative paths resolve). Repeatable.",
            valueName: "HOST[::GUEST]"))
    var directories: [String] = []

    @Option(name: .customLong("env"), help: ArgumentHelp("Set an environment variable for the program. Repeatable.", valueName: "KEY=VALUE"))
    var environment: [String] = []

    /// Imports with WASI bound: `arguments` as the guest's argv (the program name first), the
    /// host's environment plus `--env`, the `--dir` preopens in order, the host's stdio unless
    /// `stdout` is given. Binding WASI costs nothing for a module that does not import it.
    func imports(arguments: [String], stdout: Int32? = nil) throws -> Imports {
        let imports = Imports()
        try imports.bindWASI(arguments: arguments)
        for spec in directories {
            let (host, guest) = Self.split(spec)
            try imports.preopenWASI(host: host, guest: guest)
        }
        for entry in environment {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw InputError("--env \(entry): expected KEY=VALUE")
            }
            try imports.setWASIEnvironment(entry)
        }
        if let stdout { try imports.setWASIStdio(stdout: stdout) }
        return imports
    }

    /// "HOST::GUEST" -> (HOST, GUEST); "HOST" -> (HOST, nil). "::" rather than ":" so that host
    /// paths with a colon still work, as in Wasmtime's `--dir`.
    static func split(_ spec: String) -> (host: String, guest: String?) {
        guard let range = spec.range(of: "::") else { return (spec, nil) }
        return (String(spec[..<range.lowerBound]), String(spec[range.upperBound...]))
    }
}
