import Foundation
import Kiln

/// How `kiln run` and `kiln bench` end when Wasm code traps or a WASI program exits.
enum TrapReport {
    /// The exit status after a trap: 128 + SIGABRT, what a native program that aborts (and
    /// `wasmtime run` after a trap) exits with, so scripts treat both alike.
    static let exitStatus: Int32 = 134

    /// Runs a call into Wasm. `proc_exit(n)` becomes exit status `n`; a trap prints its message
    /// and backtrace on stderr and becomes status 134; any other error is thrown on.
    @discardableResult
    static func calling<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as KilnError where error.exitStatus != nil {
            throw ReportedFailure(status: error.exitStatus!)
        } catch let error as KilnError where error.isTrap {
            printError(describe(error))
            throw ReportedFailure(status: exitStatus)
        }
    }

    /// Ends the process as `calling` and `reportingErrors` would end the command for `error`:
    /// for a wasi-threads program that one of its threads ended, from that thread.
    static func exitAfter(_ error: KilnError, file: String) -> Never {
        if let status = error.exitStatus { exit(status) }
        if error.isTrap {
            printError(describe(error))
            exit(exitStatus)
        }
        printError("kiln: error: \(KilnCLI.describe(error, file: file))")
        exit(1)
    }

    /// "trap: MESSAGE" then one line per Wasm frame, innermost first:
    ///
    ///     trap: integer divide by zero
    ///     wasm backtrace:
    ///       0: divide
    ///       1: _start
    static func describe(_ error: KilnError) -> String {
        var lines = ["trap: \(error.message)"]
        if !error.frames.isEmpty {
            lines.append("wasm backtrace:")
            lines += error.frames.enumerated().map { "  \($0.offset): \($0.element)" }
        }
        return lines.joined(separator: "\n")
    }
}
