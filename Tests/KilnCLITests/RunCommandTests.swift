import Foundation
import Testing

/// `kiln run`: WASI commands, traps, and --invoke.
@Suite struct RunCommandTests {
    /// --timeout stops a program that never returns: it traps "interrupted", at every level.
    @Test func timeoutInterruptsAnEndlessLoop() throws {
        let ws = try Workspace()
        try ws.write("spin.wat", "(module (func (export \"spin\") (loop $l (br $l))))")
        for level in ["-O1", "-O2"] {
            let started = Date()
            let result = try ws.kiln("run", level, "--timeout", "200ms", "--invoke", "spin", "spin.wat")
            #expect(result.status == 134, "\(level): \(result.errors)")
            #expect(result.errors.hasPrefix("trap: interrupted\n"), "\(level): \(result.errors)")
            #expect(Date().timeIntervalSince(started) < 30, "\(level)")
        }
    }

    /// Text with 3.0's memory constructs assembles: several memories, and a 64-bit memory's static
    /// offset past 4 GiB (the text parser refused it before it was told of memory64), whose access
    /// then traps at run time against the memory's size.
    @Test func textWithSeveralAndSixtyFourBitMemoriesRuns() throws {
        let ws = try Workspace()
        try ws.write("memories.wat", """
            (module
              (memory $small 1)
              (memory $wide i64 1)
              (func (export "far") (result i32) (i32.load $wide offset=0x1_0000_0000 (i64.const 0)))
              (func (export "pages") (result i64)
                (i64.add (i64.extend_i32_u (memory.size $small)) (memory.size $wide))))
            """)
        let pages = try ws.kiln("run", "--invoke", "pages", "memories.wat")
        #expect(pages.status == 0, "\(pages.errors)")
        #expect(pages.output == "2\n")
        let far = try ws.kiln("run", "--invoke", "far", "memories.wat")
        #expect(far.status == 134, "\(far.errors)")
        #expect(far.errors.hasPrefix("trap: out of bounds memory access\n"), "\(far.errors)")
    }

    /// --unknown-imports binds a function import nobody provides instead of refusing the module.
    @Test func unknownImportsTrapOrReturnDefaults() throws {
        let ws = try Workspace()
        try ws.write("needs.wat", """
            (module
              (import "host" "missing" (func $missing (param i32) (result i32)))
              (func (export "call-missing") (result i32) (call $missing (i32.const 7)))
              (func (export "seven") (result i32) (i32.const 7)))
            """)
        let refused = try ws.kiln("run", "--invoke", "seven", "needs.wat")
        #expect(refused.status == 1)
        #expect(refused.errors.contains("unknown import: \"host\" \"missing\""), "\(refused.errors)")
        #expect(try ws.kiln("run", "--unknown-imports", "trap", "--invoke", "seven", "needs.wat").output == "7\n")
        let trapped = try ws.kiln("run", "--unknown-imports", "trap", "--invoke", "call-missing", "needs.wat")
        #expect(trapped.status == 134)
        #expect(trapped.errors.hasPrefix("trap: call to an unknown import\n"), "\(trapped.errors)")
        let defaulted = try ws.kiln("run", "--unknown-imports", "default", "--invoke", "call-missing", "needs.wat")
        #expect(defaulted.status == 0, "\(defaulted.errors)")
        #expect(defaulted.output == "0\n")
    }

    /// --max-memory caps memory.grow (which then fails, as the spec allows) and refuses a module
    /// whose memory starts larger.
    @Test func maxMemoryCapsGrowth() throws {
        let ws = try Workspace()
        try ws.write("grow.wat", """
            (module
              (memory 1)
              (func (export "grow-all") (result i32)
                (block $full
                  (loop $more
                    (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
                    (br_if $more (i32.lt_u (memory.size) (i32.const 256)))))
                (memory.size)))
            """)
        let capped = try ws.kiln("run", "--max-memory", "1M", "--invoke", "grow-all", "grow.wat")
        #expect(capped.status == 0, "\(capped.errors)")
        #expect(capped.output == "16\n")
        let uncapped = try ws.kiln("run", "--invoke", "grow-all", "grow.wat")
        #expect(uncapped.output == "256\n", "\(uncapped.errors)")
        let tooSmall = try ws.kiln("run", "--max-memory", "1000", "--invoke", "grow-all", "grow.wat")
        #expect(tooSmall.status == 1)
        #expect(tooSmall.errors == "kiln: error: grow.wat: memory 0 needs 65536 bytes, over the limit of 1000 bytes\n")
    }

    /// --max-stack gives the program that much stack, less or more than the main thread's 8 MiB:
    /// recursion that fits the default traps under a small size, and recursion that overflows the
    /// default runs under a large one. A WASI program's exit status still comes through.
    @Test func maxStackSetsTheProgramsStack() throws {
        let ws = try Workspace()
        try ws.write("deep.wat", """
            (module
              (func $depth (export "depth") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
            """)
        // A frame is at least 16 bytes: 20,000 of them need more than 64 KiB, 2,000,000 more
        // than 8 MiB, and 100,000 of at most 640 bytes fit in 64 MiB.
        #expect(try ws.kiln("run", "--invoke", "depth", "deep.wat", "20000").output == "20000\n")
        let small = try ws.kiln("run", "--max-stack", "64K", "--invoke", "depth", "deep.wat", "20000")
        #expect(small.status == 134)
        #expect(small.errors.hasPrefix("trap: call stack exhausted\n"), "\(small.errors)")
        #expect(try ws.kiln("run", "--max-stack", "64K", "--invoke", "depth", "deep.wat", "100").output == "100\n")
        let overflowing = try ws.kiln("run", "--invoke", "depth", "deep.wat", "2000000")
        #expect(overflowing.errors.hasPrefix("trap: call stack exhausted\n"), "\(overflowing.errors)")
        let large = try ws.kiln("run", "--max-stack", "1G", "--invoke", "depth", "deep.wat", "2000000")
        #expect(large.status == 0, "\(large.errors)")
        #expect(large.output == "2000000\n")
        try ws.write("hello.wat", Modules.helloExit3)
        let exited = try ws.kiln("run", "--max-stack", "1M", "hello.wat")
        #expect(exited.status == 3)
        #expect(exited.output == "hello")
    }

    /// --fuel compiles metered code and stops a program when its fuel runs out: count(n) takes
    /// exactly 1 + 2n units (its entry, n loop iterations, n calls).
    @Test func fuelStopsAProgramExactlyWhenItRunsOut() throws {
        let ws = try Workspace()
        try ws.write("fuel.wat", """
            (module
              (func $step (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func (export "count") (param $n i32) (result i32)
                (local $i i32)
                (block $done
                  (loop $next
                    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                    (local.set $i (call $step (local.get $i)))
                    (br $next)))
                (local.get $i))
              (func (export "spin") (loop $forever (br $forever))))
            """)
        #expect(try ws.kiln("run", "--fuel", "201", "--invoke", "count", "fuel.wat", "100").output == "100\n")
        for arguments in [["--fuel", "200", "--invoke", "count", "fuel.wat", "100"], ["--fuel", "1000", "--invoke", "spin", "fuel.wat"]] {
            let stopped = try ws.kiln(["run"] + arguments)
            #expect(stopped.status == 134, "\(arguments)")
            #expect(stopped.errors.hasPrefix("trap: all fuel consumed\n"), "\(stopped.errors)")
        }
    }

    @Test func wasiProgramWritesAndExitsWithItsStatus() throws {
        let ws = try Workspace()
        try ws.write("hello.wat", Modules.helloExit3)
        let result = try ws.kiln("run", "hello.wat")
        #expect(result.status == 3)
        #expect(result.output == "hello")
        #expect(result.errors == "")
    }

    @Test func wasiArgumentsAndEnvironmentReachTheGuest() throws {
        // Exits with argc * 10 + the number of environment variables.
        let ws = try Workspace()
        try ws.write("counts.wat", """
            (module
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (drop (call $args (i32.const 0) (i32.const 4)))
                (drop (call $env (i32.const 8) (i32.const 12)))
                (call $exit (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 10)) (i32.load (i32.const 8))))))
            """)
        // argv = [counts.wat, a, --b, -5]: everything after the module is the program's, options
        // included. The environment is --env's two only: kiln's own (KILN_CACHE_DIR) is not
        // passed on. (No background compile: with no KILN_BACKGROUND_COMPILE=0 to count, the
        // option says it.)
        func exitStatus(_ arguments: [String]) throws -> Int32 {
            let result = try ws.kilnWithBareEnvironment(["run", "--no-background-compile"] + arguments)
            #expect(result.errors.isEmpty, "\(arguments): \(result.errors)")
            return result.status
        }
        #expect(try exitStatus(["--env", "A=1", "--env", "B=2", "counts.wat", "a", "--b", "-5"]) == 42)
        // Kiln's own options after the module are the program's too; a "--" right after the
        // module is dropped, as earlier versions required it. argv = [counts.wat, --help, --env, X=1].
        #expect(try exitStatus(["counts.wat", "--help", "--env", "X=1"]) == 40)
        #expect(try exitStatus(["counts.wat", "--", "--help", "--env", "X=1"]) == 40)
        // --inherit-env passes kiln's environment on; --env KEY copies one variable of it, and
        // nothing for one that is not set.
        #expect(try exitStatus(["--inherit-env", "counts.wat"]) == 11)
        #expect(try exitStatus(["--env", "KILN_CACHE_DIR", "--env", "KILN_NOT_SET_ANYWHERE", "counts.wat"]) == 11)
    }

    @Test func aModuleWithoutASubcommandIsRun() throws {
        let ws = try Workspace()
        try ws.write("hello.wat", Modules.helloExit3)
        let result = try ws.kiln("hello.wat", "--help")
        #expect(result.status == 3, "\(result.errors)")
        #expect(result.output == "hello")
    }

    @Test func trapPrintsMessageAndBacktraceOfWasmNames() throws {
        let ws = try Workspace()
        try ws.write("trap.wat", Modules.trapping)
        // -O0 keeps $divide a frame of its own instead of inlining it into its caller.
        let result = try ws.kiln("run", "-O0", "trap.wat")
        #expect(result.status == 134)
        let lines = result.errors.split(separator: "\n").map(String.init)
        #expect(lines.first == "trap: integer divide by zero")
        #expect(lines.dropFirst().first == "wasm backtrace:")
        // Innermost first, named from the name section the .wat was assembled with.
        #expect(lines.dropFirst(2).first == "  0: divide", "\(result.errors)")
    }

    @Test func invokeCallsAnExportAndPrintsResults() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kiln("run", "--invoke", "add", "add.wat", "2", "-5")
        #expect(result.status == 0)
        #expect(result.output == "-3\n")
    }

    @Test func invokeTrapExitsWith134() throws {
        let ws = try Workspace()
        try ws.write("trap.wat", Modules.trapping.replacingOccurrences(of: "(func $outer", with: "(func $outer (export \"outer\")"))
        let result = try ws.kiln("run", "--invoke", "outer", "trap.wat", "0")
        #expect(result.status == 134)
        #expect(result.errors.hasPrefix("trap: integer divide by zero\n"))
    }

    @Test func compiledModuleRunsWithoutTheCache() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        #expect(try ws.kiln("compile", "add.wat", "-o", "add.so").status == 0)
        // A bare relative name: dlopen would look "add.so" up in the library path, not here.
        let result = try ws.kiln("run", "--invoke", "add", "add.so", "2", "-5")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "-3\n")
        #expect(try ws.stat("entries") == 0)
        #expect(try ws.stat("misses") == 0)
        #expect(try ws.stat("hits") == 0)
    }

    @Test func compiledWasiProgramExitsWithItsStatus() throws {
        let ws = try Workspace()
        try ws.write("hello.wat", Modules.helloExit3)
        #expect(try ws.kiln("compile", "hello.wat", "-o", "hello.so").status == 0)
        let result = try ws.kiln("run", "hello.so")
        #expect(result.status == 3)
        #expect(result.output == "hello")
    }

    @Test func sharedObjectThatIsNotAKilnModuleIsAnError() throws {
        // An ELF file kiln did not write: a one-line error, not a crash.
        let ws = try Workspace()
        let result = try ws.kiln("run", "--invoke", "main", "/bin/true")
        #expect(result.status == 1)
        #expect(result.errors.hasPrefix("kiln: error: /bin/true: "), "\(result.errors)")
    }

    @Test func moduleWithoutStartNeedsInvoke() throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        let result = try ws.kiln("run", "add.wat")
        #expect(result.status == 1)
        #expect(result.errors.contains("no _start export"))
    }
}
