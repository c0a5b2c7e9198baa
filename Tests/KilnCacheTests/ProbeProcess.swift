import Foundation

/// Runs kiln-cache-probe, the helper executable built with these tests, as a separate process.
struct ProbeProcess {
    /// $KILN_CACHE_PROBE, else next to the test bundle (SwiftPM puts executables and the test
    /// bundle in the same build directory).
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["KILN_CACHE_PROBE"] { return path }
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        for directory in candidates {
            let path = directory.appendingPathComponent("kiln-cache-probe").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "kiln-cache-probe"
    }

    let process = Process()
    let output = Pipe()
    let errors = Pipe()

    init(cacheDirectory: String, wasmPath: String, export: String, arguments: [String], environment: [String: String] = [:]) {
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--cache-dir", cacheDirectory, "-O", "1", wasmPath, export] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = errors
    }

    func start() throws { try process.run() }

    /// Waits for exit; returns (status, stdout, stderr).
    func finish() -> (status: Int32, output: String, errors: String) {
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// Reads stderr until `marker` appears (or it closes).
    func waitForError(_ marker: String) -> Bool {
        var seen = ""
        while !seen.contains(marker) {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        return true
    }

    /// Runs one probe to completion.
    static func run(cacheDirectory: String, wasmPath: String, export: String, arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let probe = ProbeProcess(cacheDirectory: cacheDirectory, wasmPath: wasmPath, export: export, arguments: arguments)
        try probe.start()
        return probe.finish()
    }
}

extension String {
    /// The value of `name=` in a probe's output line.
    func field(_ name: String) -> String? {
        split(separator: " ").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
