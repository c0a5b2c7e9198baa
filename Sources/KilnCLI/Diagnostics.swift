import ArgumentParser
import Foundation
import Kiln
import KilnCompiler
// Only WasmError: KilnFrontend re-exports WasmTypes, whose `Value` would clash with Kiln's.
import struct KilnFrontend.WasmError
import WAT

/// A failure a command has already explained; carries only the exit status.
struct ReportedFailure: Error {
    var status: Int32 = 1
}

/// Writes one line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Every error a command can meet, as one line naming the file it concerns.
func describe(_ error: any Error, file: String) -> String {
    switch error {
    case let e as WasmError:
        // e.g. "add.wasm: malformed module at byte offset 31 (0x1f): unexpected end"
        return "\(file): \(e)"
    case let e as WatParserError:
        guard let location = e.location else { return "\(file): \(e)" }
        let (line, column) = location.computeLineAndColumn()
        let suffix = " at \(location.debugDescription)"
        let message = e.description.hasSuffix(suffix) ? String(e.description.dropLast(suffix.count)) : e.description
        return "\(file):\(line):\(column + 1): \(message)"
    case let e as CompileError:
        return "\(file): compilation failed: \(e)"
    case let e as KilnError:
        return "\(file): \(e.message)"
    case let e as InputError:
        return e.message
    default:
        return "\(file): \(error)"
    }
}

/// Runs a command body, turning any error into one `kiln: error:` line and a non-zero exit.
/// Nothing a user passes in should produce a backtrace.
func reportingErrors(file: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as ReportedFailure {
        throw ExitCode(failure.status)
    } catch {
        printError("kiln: error: \(describe(error, file: file))")
        throw ExitCode.failure
    }
}

/// A mistake in what the user asked for (bad argument, unreadable file).
struct InputError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
