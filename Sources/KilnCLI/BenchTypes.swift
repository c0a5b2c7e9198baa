import Foundation

// Engine-neutral types for `kiln bench`. Kiln and WasmKit both name their types `Value`,
// `Module`, `Instance`…, so each engine's side lives in its own file importing only that engine,
// and they meet here.

/// A Wasm value as bits, comparable across engines (NaN payloads included).
enum BenchValue: Equatable {
    case i32(UInt32), i64(UInt64), f32(UInt32), f64(UInt64)
    case v128([UInt8])
    /// References can only be compared for null-ness across engines.
    case funcRef(isNull: Bool), externRef(isNull: Bool)
}

/// What the benchmark runs: one export, or a WASI command's `_start`.
enum BenchWorkload {
    case invoke(name: String, arguments: [BenchValue])
    case command
}

/// The WASI view both engines get: the same argv, environment, preopens and captured stdout.
struct BenchWASI {
    var arguments: [String]
    /// The guest's whole environment (`WASIFlags.guestEnvironment`). One dictionary for both: WasmKit
    /// hands the guest a dictionary's iteration order, which is only reproducible for the same
    /// dictionary value, so the Kiln side is given exactly that order too.
    var environment: [String: String]
    var preopens: [(host: String, guest: String?)]
    /// Where the guest's stdout goes (a capture file).
    var stdout: Int32
}

/// How one run ended; the two engines must agree on all of it.
struct BenchOutcome: Equatable {
    var results: [BenchValue] = []
    var exitCode: Int32 = 0
    var stdout: [UInt8] = []
}

/// One run's timings.
struct BenchTiming {
    var instantiate: Duration
    var run: Duration
}

/// An engine failed to run the workload (a trap, a missing export); `engine` names which.
struct BenchFailure: Error {
    var engine: String
    var message: String
}

/// A file the guest's stdout is written to, read back after each run. Unlinked at once, so
/// nothing is left behind; truncated before every run so each run's output is compared alone.
final class StdoutCapture {
    let fd: Int32

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/kiln-bench-XXXXXX").utf8CString)
        fd = mkstemp(&template)
        guard fd >= 0 else { throw InputError("cannot create a capture file: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    func reset() {
        _ = ftruncate(fd, 0)
        lseek(fd, 0, SEEK_SET)
    }

    func contents() -> [UInt8] {
        let size = Int(lseek(fd, 0, SEEK_END))
        var bytes = [UInt8](repeating: 0, count: max(size, 0))
        let read = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, 0) }
        return Array(bytes.prefix(max(read, 0)))
    }

    deinit { close(fd) }
}
