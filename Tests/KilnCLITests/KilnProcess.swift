import Foundation

/// The built `kiln` executable, run as a user would: a separate process with its own
/// environment, its output captured.
struct KilnProcess {
    /// $KILN, else next to the test bundle (SwiftPM puts executables and the test bundle in one
    /// build directory; this test target depends on `kiln`, so it is built first).
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["KILN"] { return path }
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        return candidates.map { $0.appendingPathComponent("kiln").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "kiln"
    }

    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs `kiln arguments...` (or `tool arguments...`) in `directory` with `environment` added to
    /// ours, to completion. With `inherit: false` the process gets `environment` alone.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], inherit: Bool = true, in directory: String? = nil,
        standardInput: String? = nil, tool: String = executable
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.environment = inherit ? ProcessInfo.processInfo.environment.merging(environment) { $1 } : environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        // Files, not pipes: nothing can fill up and block while we wait.
        let out = try TemporaryFile(), err = try TemporaryFile()
        process.standardOutput = out.handle
        process.standardError = err.handle
        process.standardInput = try standardInput.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: out.contents, errors: err.contents)
    }
}

/// A scratch file, deleted when dropped.
final class TemporaryFile {
    let path = NSTemporaryDirectory() + "/kiln-cli-test-\(UUID().uuidString)"
    let handle: FileHandle

    init() throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    var contents: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A scratch directory holding the test's modules and its own compilation cache, so tests
/// never touch the user's cache or each other's counters.
final class Workspace {
    let path = NSTemporaryDirectory() + "/kiln-cli-test-\(UUID().uuidString)"
    var cacheDirectory: String { path + "/cache" }

    init() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` in the workspace and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// `kiln arguments...` with this workspace's cache, and without background compiles: a
    /// default-level `kiln run` compiles -O2 before running, as in CI, so that tests of other
    /// things see one entry per module and no process outlives them (TieredRunTests use
    /// `kilnTiered`).
    func kiln(_ arguments: String...) throws -> KilnProcess.Result {
        try kiln(arguments)
    }

    /// The same, with the workspace file `standardInput`, if any, as kiln's standard input.
    func kiln(_ arguments: [String], standardInput: String? = nil) throws -> KilnProcess.Result {
        try KilnProcess.run(
            arguments, environment: ["KILN_CACHE_DIR": cacheDirectory, "KILN_BACKGROUND_COMPILE": "0"], in: path,
            standardInput: standardInput.map { path + "/" + $0 })
    }

    /// `kiln arguments...` with this workspace's cache and background compiles on, plus
    /// `environment`.
    func kilnTiered(_ arguments: [String], environment: [String: String] = [:]) throws -> KilnProcess.Result {
        try KilnProcess.run(arguments, environment: tieredEnvironment(environment), in: path)
    }

    /// What `kilnTiered` adds to the environment.
    func tieredEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        ["KILN_CACHE_DIR": cacheDirectory, "KILN_BACKGROUND_COMPILE": "1"].merging(extra) { $1 }
    }

    /// The same, with KILN_CACHE_DIR as the only environment variable (what a WASI guest then
    /// sees is exactly known).
    func kilnWithBareEnvironment(_ arguments: String...) throws -> KilnProcess.Result {
        try kilnWithBareEnvironment(arguments)
    }

    func kilnWithBareEnvironment(_ arguments: [String]) throws -> KilnProcess.Result {
        try KilnProcess.run(arguments, environment: ["KILN_CACHE_DIR": cacheDirectory], inherit: false, in: path)
    }

    /// The value of one `name: value` line of `kiln cache stats`.
    func stat(_ name: String) throws -> Int? {
        let line = try kiln("cache", "stats").output.split(separator: "\n").first { $0.hasPrefix(name + ":") }
        return line.flatMap { Int($0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Modules the tests run, in WebAssembly text (kiln accepts .wat).
enum Modules {
    static let add = """
        (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
        """

    /// A WASI command: fd_write("hello") to stdout, then proc_exit(3).
    static let helloExit3 = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "hello")
          (func $main (export "_start")
            (i32.store (i32.const 0) (i32.const 16))  ;; iovec: base
            (i32.store (i32.const 4) (i32.const 5))   ;;        length
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (call $proc_exit (i32.const 3))))
        """

    /// `_start` calls $outer, which calls $divide, which divides by zero.
    static let trapping = """
        (module
          (func $divide (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
          (func $outer (param i32) (result i32) (i32.add (call $divide (local.get 0)) (i32.const 1)))
          (func $_start (export "_start") (drop (call $outer (i32.const 0)))))
        """
}
