import Foundation
import Testing
import WAT

/// `kiln` is a C launcher that runs warm cases itself and execs kiln-full for the rest
/// (Sources/KilnLauncher). These check that a run it serves is indistinguishable from one
/// kiln-full serves, and that anything it is unsure of goes to kiln-full.
@Suite struct LauncherTests {
    /// A second `kiln run prog.wasm` is the launcher's, with the same output, environment and exit
    /// status as the first (kiln-full's, which compiled the module and wrote the warm index).
    @Test func aWarmRunIsServedByTheLauncherAndMatchesTheFullRun() throws {
        let ws = try Workspace()
        try ws.writeWasm("echo.wasm", LauncherModules.echo)
        let arguments = ["run", "--env", "B=two", "--env", "A=1", "--env", "KILN_LAUNCHER_TRACE", "--max-memory", "1M",
                         "echo.wasm", "x", "--y", "-5", "--env", "Z=9"]
        let first = try ws.traced(arguments)
        #expect(first.handledBy == .full, "\(first.errors)")
        let second = try ws.traced(arguments)
        #expect(second.handledBy == .launcher, "\(second.errors)")
        // argv[0] is the module path; only --env's variables, sorted by key; argc * 10 + envc.
        #expect(first.output == "echo.wasm\nx\n--y\n-5\n--env\nZ=9\nA=1\nB=two\nKILN_LAUNCHER_TRACE=1\n")
        #expect(first.status == 63)
        #expect(second.output == first.output)
        #expect(second.status == first.status)
        #expect(second.guestErrors == first.guestErrors)

        // --inherit-env, the --option=value forms and a "--" before the module.
        let inherit = ["run", "--inherit-env", "--env=A=1", "--dir=.", "--", "echo.wasm", "--", "q"]
        let bare = ["KILN_CACHE_DIR": ws.cacheDirectory, "KILN_BACKGROUND_COMPILE": "0"]
        let full = try ws.traced(inherit, environment: bare, launcher: false)
        let warm = try ws.traced(inherit, environment: bare)
        #expect(warm.handledBy == .launcher, "\(warm.errors)")
        #expect(full.output == warm.output)
        #expect(full.status == warm.status)
        #expect(warm.output.contains("KILN_CACHE_DIR=\(ws.cacheDirectory)\n"), "\(warm.output)")
    }

    /// A trap prints the same message and backtrace from either binary, and exits 134.
    @Test func aTrapReadsTheSameFromTheLauncher() throws {
        let ws = try Workspace()
        try ws.writeWasm("trap.wasm", Modules.trapping)
        let first = try ws.traced(["trap.wasm"])
        let second = try ws.traced(["trap.wasm"])
        #expect(first.handledBy == .full)
        #expect(second.handledBy == .launcher, "\(second.errors)")
        #expect(first.status == 134)
        #expect(second.status == 134)
        // (At -O2 the callees are inlined into _start, so the backtrace may be short.)
        #expect(first.guestErrors.hasPrefix("trap: integer divide by zero\nwasm backtrace:\n  0: "), "\(first.errors)")
        #expect(second.guestErrors == first.guestErrors)
    }

    /// An entry that no longer matches the index (a byte flipped, truncated) sends the run to
    /// kiln-full, which repairs it; the run succeeds either way, and the next is warm again.
    @Test(arguments: ["flip", "truncate"])
    func anAlteredEntryFallsBackToKilnFull(_ damage: String) throws {
        let ws = try Workspace()
        try ws.writeWasm("echo.wasm", LauncherModules.echo)
        let expected = try ws.traced(["echo.wasm", "a"])
        #expect(try ws.traced(["echo.wasm", "a"]).handledBy == .launcher)

        let entry = try #require(try ws.entries().first { $0.level == 2 })
        let path = ws.cacheDirectory + "/\(entry.key).so"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        if damage == "flip" { bytes[bytes.count / 2] ^= 0x40 } else { bytes.removeLast(100) }
        // Put in place as an attacker or a bad disk would: a new file renamed over the entry.
        try Data(bytes).write(to: URL(fileURLWithPath: path + ".new"))
        #expect(rename(path + ".new", path) == 0)

        let repaired = try ws.traced(["echo.wasm", "a"])
        #expect(repaired.handledBy == .full, "\(repaired.errors)")
        #expect(repaired.output == expected.output)
        #expect(repaired.status == expected.status)
        #expect(try ws.traced(["echo.wasm", "a"]).handledBy == .launcher)
    }

    /// A launcher hit counts a hit and refreshes the entry's last use through `<key>.used`, which
    /// `kiln cache list` reads; `kiln cache clear` removes it and the warm index.
    @Test func aLauncherHitIsCountedAndRefreshesLastUse() throws {
        let ws = try Workspace()
        try ws.writeWasm("echo.wasm", LauncherModules.echo)
        _ = try ws.traced(["echo.wasm"])
        let hits = try #require(try ws.stat("hits"))
        #expect(try ws.traced(["echo.wasm"]).handledBy == .launcher)
        #expect(try ws.stat("hits") == hits + 1)
        let entry = try #require(try ws.entries().first)
        #expect(FileManager.default.fileExists(atPath: ws.cacheDirectory + "/\(entry.key).used"))
        #expect(try ws.warmIndexCount() == 1)

        #expect(try ws.kiln("cache", "clear").status == 0)
        #expect(!FileManager.default.fileExists(atPath: ws.cacheDirectory + "/\(entry.key).used"))
        #expect(try ws.warmIndexCount() == 0)
        #expect(try ws.traced(["echo.wasm"]).handledBy == .full)
    }

    /// A .so from `kiln compile` runs in the launcher, without the cache.
    @Test func aSharedObjectRunsInTheLauncher() throws {
        let ws = try Workspace()
        try ws.writeWasm("echo.wasm", LauncherModules.echo)
        #expect(try ws.kiln("compile", "echo.wasm", "-o", "echo.so").status == 0)
        let misses = try ws.stat("misses"), hits = try ws.stat("hits")
        let result = try ws.traced(["run", "--env", "A=1", "echo.so", "b"])
        #expect(result.handledBy == .launcher, "\(result.errors)")
        #expect(result.output == "echo.so\nb\nA=1\n")
        #expect(result.status == 21)
        #expect(try ws.stat("misses") == misses)
        #expect(try ws.stat("hits") == hits)
    }

    /// Options the launcher does not know, text modules, other levels and a fast-tier stand-in go
    /// to kiln-full.
    @Test func whatTheLauncherDoesNotKnowGoesToKilnFull() throws {
        let ws = try Workspace()
        try ws.writeWasm("echo.wasm", LauncherModules.echo)
        try ws.write("add.wat", Modules.add)
        _ = try ws.traced(["echo.wasm"])
        #expect(try ws.traced(["echo.wasm"]).handledBy == .launcher)
        for arguments in [["run", "-O1", "echo.wasm"], ["run", "--no-cache", "echo.wasm"], ["run", "--timeout", "5s", "echo.wasm"],
                          ["run", "--max-memory", "0x10", "echo.wasm"], ["cache", "stats"]] {
            let result = try ws.traced(arguments)
            #expect(result.handledBy == .full, "\(arguments): \(result.errors)")
        }
        let invoked = try ws.traced(["run", "--invoke", "add", "add.wat", "40", "2"])
        #expect(invoked.handledBy == .full)
        #expect(invoked.output == "42\n")
        let missing = try ws.traced(["run", "missing.wasm"])
        #expect(missing.handledBy == .full)
        #expect(missing.status == 1)
        #expect(missing.guestErrors == "kiln: error: cannot read missing.wasm: No such file or directory\n")
    }

    /// A tiered first run runs fast-tier code, which is never indexed: the launcher hands over
    /// until the background compile has made and indexed the optimised entry, and serves the
    /// next run from it.
    @Test func aFastTierStandInIsNeverRunByTheLauncher() throws {
        let ws = try Workspace()
        try ws.writeWasm("echo.wasm", LauncherModules.echo)
        let tiered = ws.tieredEnvironment(["KILN_LAUNCHER_TRACE": "1"])
        #expect(try ws.traced(["echo.wasm"], environment: tiered).handledBy == .full)
        _ = try #require(try ws.waitForEntry(level: 2))
        // The background compile indexes the entry just after publishing it.
        let deadline = Date().addingTimeInterval(60)
        while try ws.warmIndexCount() == 0, Date() < deadline { usleep(20_000) }
        #expect(try ws.warmIndexCount() == 1)
        #expect(try ws.traced(["echo.wasm"], environment: tiered).handledBy == .launcher)
    }

    /// `kiln --version` is the launcher's own, and reads exactly as kiln-full's.
    @Test func bothBinariesPrintTheSameVersion() throws {
        let ws = try Workspace()
        let launcher = try ws.traced(["--version"])
        #expect(launcher.handledBy == .launcher)
        let full = try KilnProcess.run(["--version"], tool: KilnProcess.fullExecutable)
        #expect(full.status == 0)
        #expect(launcher.output == full.output)
    }
}

/// Modules for the launcher's tests.
enum LauncherModules {
    /// A WASI command that prints its arguments, then its environment, one per line, and exits
    /// with argc * 10 + the number of environment variables.
    static let echo = """
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 4)
          ;; Writes [start, start + length) to stdout with its NULs turned into newlines.
          (func $print (param $start i32) (param $length i32)
            (local $i i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
                (if (i32.eqz (i32.load8_u (i32.add (local.get $start) (local.get $i))))
                  (then (i32.store8 (i32.add (local.get $start) (local.get $i)) (i32.const 10))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (i32.store (i32.const 0) (local.get $start))
            (i32.store (i32.const 4) (local.get $length))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
          (func (export "_start")
            (drop (call $args_sizes (i32.const 16) (i32.const 20)))
            (drop (call $args_get (i32.const 1024) (i32.const 16384)))
            (call $print (i32.const 16384) (i32.load (i32.const 20)))
            (drop (call $environ_sizes (i32.const 24) (i32.const 28)))
            (drop (call $environ_get (i32.const 4096) (i32.const 65536)))
            (call $print (i32.const 65536) (i32.load (i32.const 28)))
            (call $exit (i32.add (i32.mul (i32.load (i32.const 16)) (i32.const 10)) (i32.load (i32.const 24))))))
        """
}

/// A run and which binary ended up serving it, from the launcher's KILN_LAUNCHER_TRACE line.
struct TracedRun {
    enum Server { case launcher, full, unknown }
    var status: Int32
    var output: String
    var errors: String

    var handledBy: Server {
        let lines = errors.split(separator: "\n")
        if lines.contains(where: { $0.hasPrefix("kiln: launcher: exec kiln-full") }) { return .full }
        return lines.contains { $0.hasPrefix("kiln: launcher: running ") } ? .launcher : .unknown
    }

    /// stderr without the trace line: what the program and Kiln printed.
    var guestErrors: String {
        errors.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("kiln: launcher: ") }
            .joined(separator: "\n")
    }
}

extension KilnProcess {
    /// kiln-full, beside the launcher.
    static var fullExecutable: String {
        URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("kiln-full").path
    }
}

extension Workspace {
    /// Writes the binary of the WebAssembly text `text` (with its names, for backtraces).
    func writeWasm(_ name: String, _ text: String) throws {
        let bytes = try wat2wasm(text, options: EncodeOptions(nameSection: true))
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + name))
    }

    /// `kiln arguments...` (or kiln-full's, with `launcher: false`) with this workspace's cache,
    /// no background compile and KILN_LAUNCHER_TRACE=1; `environment`, when given, is the whole
    /// environment besides the trace switch.
    func traced(_ arguments: [String], environment: [String: String]? = nil, launcher: Bool = true) throws -> TracedRun {
        let base = environment ?? ["KILN_CACHE_DIR": cacheDirectory, "KILN_BACKGROUND_COMPILE": "0"]
        let result = try KilnProcess.run(
            arguments, environment: base.merging(["KILN_LAUNCHER_TRACE": "1"]) { $1 }, inherit: environment == nil, in: path,
            tool: launcher ? KilnProcess.executable : KilnProcess.fullExecutable)
        return TracedRun(status: result.status, output: result.output, errors: result.errors)
    }

    /// The records in the warm index.
    func warmIndexCount() throws -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory + "/warm")) ?? []).count
    }
}
