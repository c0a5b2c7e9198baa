import Foundation
import Testing

/// `kiln compile -g`: gdb, running `kiln run prog.so`, breaks on a C function of a Wasm program
/// built with clang -g, at its source line, with a backtrace that names the caller.
@Suite struct DebuggerTests {
    static let program = """
        #include <stdio.h>

        static int square(int x) {
            return x * x;
        }

        int sum_squares(int n) {
            int total = 0;
            for (int i = 1; i <= n; i++) {
                total += square(i);
            }
            return total;
        }

        int main(int argc, char **argv) {
            int result = sum_squares(argc * 10);
            printf("sum=%d\\n", result);
            return 0;
        }
        """

    static let gdb = "/usr/bin/gdb"
    static let clang = "/usr/bin/clang-19"
    static var toolsInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: gdb) && FileManager.default.isExecutableFile(atPath: clang)
    }

    /// At -O0 the native code follows the source statement by statement: the breakpoint lands
    /// on sum_squares's first statement (line 8), after its prologue, as in a native C build.
    @Test(.enabled(if: toolsInstalled, "needs gdb and clang-19 (scripts/setup installs them)"))
    func gdbBreaksOnACFunctionAtItsFirstStatement() throws {
        let session = try Self.debug(breakingOn: "sum_squares", level: "-O0")
        #expect(session.contains("Breakpoint 1, sum_squares () at prog.c:8"), "\(session)")
        #expect(session.contains(#"Line 8 of "prog.c""#), "\(session)")
        // The caller, by name and line, in the backtrace.
        #expect(session.contains("#1  0x") && session.contains(" in main () at prog.c:16"), "\(session)")
        // The program ran on to its end.
        #expect(session.contains("sum=385"), "\(session)")
    }

    /// At the default level (-O2), where LLVM inlines `square` into the loop and the loop into
    /// main: gdb still breaks in `square`, under its inlined callers. Its first instruction is
    /// the store of its argument into its frame (the program is built -O0, so the frame is in
    /// linear memory), at the call's line: since Kiln 0.5.21 that store stays in the loop,
    /// in order with the accesses that may trap, where LLVM used to keep it in a register until
    /// the loop ended and the breakpoint landed on the multiplication, at line 4.
    @Test(.enabled(if: toolsInstalled, "needs gdb and clang-19 (scripts/setup installs them)"))
    func gdbBreaksOnAnInlinedFunctionAtTheDefaultLevel() throws {
        let session = try Self.debug(breakingOn: "square", level: nil)
        // gdb names the address only when the stop is not at the start of a line-table row.
        #expect(session.contains("#0  square () at prog.c:") || session.contains(" in square () at prog.c:"), "\(session)")
        #expect(session.contains("#1  sum_squares () at prog.c:10"), "\(session)")
        #expect(session.contains("main () at prog.c:16"), "\(session)")
        #expect(session.contains("sum=385"), "\(session)")
    }

    /// Builds the program, compiles it `-g` (at `level`, else the default), and runs it under
    /// gdb with a breakpoint on `function`, which is deleted at the first stop so that the
    /// program then runs to its end (a function called in a loop would stop it again); gdb's
    /// output.
    private static func debug(breakingOn function: String, level: String?) throws -> String {
        let ws = try Workspace()
        try ws.write("prog.c", program)
        let build = try KilnProcess.run(
            ["--target=wasm32-wasi", "--sysroot=/usr", "-g", "-O0", "prog.c", "-o", "prog.wasm"], in: ws.path, tool: clang)
        try #require(build.status == 0, "\(build.errors)")
        let compile = try ws.kiln(["compile", "-g"] + (level.map { [$0] } ?? []) + ["prog.wasm", "-o", "prog.so"])
        try #require(compile.status == 0, "\(compile.errors)")
        #expect(compile.errors.isEmpty, "\(compile.errors)")
        let session = try runWithDefaultSignals(
            "/usr/bin/timeout",
            ["300", gdb, "-batch", "-nx", "-ex", "set complaints 0", "-ex", "set breakpoint pending on", "-ex", "break \(function)",
             "-ex", "run", "-ex", "bt", "-ex", "info line *$pc", "-ex", "delete", "-ex", "continue", "--args", KilnProcess.executable, "run", ws.path + "/prog.so"],
            in: ws)
        return session
    }

    /// Runs `tool` in the workspace and returns what it wrote to stdout and stderr. Spawned with
    /// an empty signal mask: a test thread blocks SIGCHLD, and a gdb that inherits that never
    /// hears that its inferior stopped (Foundation's Process passes the mask on).
    private static func runWithDefaultSignals(_ tool: String, _ arguments: [String], in ws: Workspace) throws -> String {
        let output = ws.path + "/gdb.out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment["KILN_CACHE_DIR"] = ws.cacheDirectory
        environment["KILN_BACKGROUND_COMPILE"] = "0"
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, tool, &actions, &attributes, argv, envp)
        try #require(error == 0, "cannot run \(tool): \(String(cString: strerror(error)))")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}
