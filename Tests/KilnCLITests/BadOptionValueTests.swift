import Foundation
import Testing

/// Every option of every command, given a bad value: a clear error and a usage exit status (64,
/// from the argument parser) or 1 (Kiln's own check), never a crash, an abort inside LLVM or a
/// stack dump.
@Suite struct BadOptionValueTests {
    struct Case: CustomStringConvertible, Sendable {
        let arguments: [String]
        /// 64 for the argument parser's usage errors, 1 for errors Kiln reports itself.
        let status: Int32
        /// What the first line of stderr must contain.
        let says: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: ["compile", "add.wat", "--cpu", "bogus"], status: 1, says: "unknown CPU \"bogus\""),
        Case(arguments: ["compile", "add.wat", "--cpu", ""], status: 1, says: "unknown CPU \"\""),
        Case(arguments: ["compile", "add.wat", "-j", "0"], status: 64, says: "-j takes a number of threads, 1 or more"),
        Case(arguments: ["compile", "add.wat", "-j", "abc"], status: 64, says: "The value 'abc' is invalid for '-j <n>'"),
        Case(arguments: ["compile", "add.wat", "--feature", "telepathy"], status: 64, says: "unknown feature 'telepathy'"),
        Case(arguments: ["compile", "add.wat", "--no-feature", "telepathy"], status: 64, says: "unknown feature 'telepathy'"),
        Case(arguments: ["compile", "add.wat", "--feature", "gc"], status: 64, says: "Kiln does not support GC yet"),
        Case(arguments: ["compile", "add.wat", "-o", "missing/dir/add.so"], status: 1, says: "cannot write missing/dir/add.so"),
        Case(arguments: ["compile", "missing.wasm"], status: 1, says: "cannot read missing.wasm: No such file or directory"),
        Case(arguments: ["compile", "add.wat", "-O9"], status: 64, says: "Unknown option '-O9'"),
        Case(arguments: ["run", "--invoke", "nope", "add.wat"], status: 1, says: "unknown export \"nope\""),
        Case(arguments: ["run", "--invoke", "add", "add.wat", "abc", "1"], status: 1, says: "cannot read 'abc' as i32"),
        Case(arguments: ["run", "--invoke", "add", "add.wat", "99999999999", "1"], status: 1, says: "cannot read '99999999999' as i32"),
        Case(arguments: ["run", "--invoke", "add", "add.wat", "1"], status: 1, says: "add takes 2 argument(s) (i32 i32), 1 given"),
        Case(arguments: ["run", "--profile", "bogus", "--invoke", "add", "add.wat", "1", "2"], status: 64,
             says: "The value 'bogus' is invalid for '--profile <profiler>'"),
        Case(arguments: ["run", "--dir", "/nonexistent/dir", "add.wat"], status: 1, says: "cannot preopen /nonexistent/dir"),
        Case(arguments: ["run", "--env", "=x", "add.wat"], status: 1, says: "--env =x: expected KEY or KEY=VALUE"),
        Case(arguments: ["run", "--max-memory", "10XB", "add.wat"], status: 64, says: "--max-memory 10XB: expected a size"),
        Case(arguments: ["run", "--max-memory", "0", "add.wat"], status: 64, says: "--max-memory 0: expected a size"),
        Case(arguments: ["run", "--max-stack", "lots", "add.wat"], status: 64, says: "--max-stack lots: expected a size"),
        Case(arguments: ["run", "--fuel", "lots", "add.wat"], status: 64, says: "--fuel"),
        Case(arguments: ["run", "--unknown-imports", "ignore", "add.wat"], status: 64,
             says: "The value 'ignore' is invalid for '--unknown-imports <trap|default>'"),
        Case(arguments: ["run", "--timeout", "soon", "add.wat"], status: 64, says: "--timeout soon: expected a duration"),
        Case(arguments: ["run", "--timeout", "0s", "add.wat"], status: 64, says: "--timeout 0s: expected a duration"),
        Case(arguments: ["run", "--cpu", "bogus", "--invoke", "add", "add.wat", "1", "2"], status: 1, says: "unknown CPU \"bogus\""),
        Case(arguments: ["run", "-j", "0", "--invoke", "add", "add.wat", "1", "2"], status: 64, says: "-j takes a number of threads"),
        Case(arguments: ["bench", "--runs", "0", "--invoke", "add", "add.wat", "1", "2"], status: 64, says: "--runs must be at least 1"),
        Case(arguments: ["bench", "--runs", "x", "--invoke", "add", "add.wat", "1", "2"], status: 64,
             says: "The value 'x' is invalid for '--runs <runs>'"),
        Case(arguments: ["bench", "--invoke", "nope", "add.wat"], status: 1, says: "unknown export \"nope\""),
        Case(arguments: ["wast", "--timeout", "abc", "add.wast"], status: 64, says: "The value 'abc' is invalid for '--timeout <timeout>'"),
        Case(arguments: ["wast", "--known-failures", "/nonexistent/list", "add.wast"], status: 1,
             says: "cannot read /nonexistent/list: No such file or directory"),
        Case(arguments: ["wast", "missing.wast"], status: 1, says: "missing.wast: no such file or directory"),
        Case(arguments: ["cache", "prune", "10XB"], status: 64, says: "Unexpected argument '10XB'"),
    ]

    @Test(arguments: cases)
    func aBadValueIsAClearErrorNotACrash(_ c: Case) throws {
        let ws = try Workspace()
        try ws.write("add.wat", Modules.add)
        try ws.write("add.wast", "(module)\n")
        let result = try ws.kiln(c.arguments)
        #expect(result.status == c.status, "\(c): \(result.errors)")
        let firstLine = result.errors.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.contains(c.says), "\(c): \(result.errors)")
        for sign in ["Stack dump", "LLVM ERROR", "PLEASE submit a bug report", "Fatal error", "Assertion"] {
            #expect(!result.errors.contains(sign), "\(c): \(result.errors)")
        }
    }
}
