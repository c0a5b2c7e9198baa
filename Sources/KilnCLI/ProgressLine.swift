import Foundation
import KilnCompiler

/// A one-line progress display on stderr, rewritten in place ("compiling: 120/3000 functions").
/// Only on a terminal: in a pipe or a log it prints nothing, so scripts and CI stay quiet.
/// Not locked: callers serialise `update` (the worker pool reports under its own lock).
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let enabled = isatty(STDERR_FILENO) != 0
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init(label: String, unit: String = "") {
        self.label = label
        self.unit = unit
    }

    func update(_ done: Int, of total: Int) {
        draw("\(done)/\(total) \(unit)", final: done == total)
    }

    private func draw(_ text: String, final: Bool) {
        guard enabled else { return }
        // Redraw at most every 50 ms: lowering thousands of small functions must not be slowed
        // down by the terminal.
        let now = DispatchTime.now().uptimeNanoseconds
        guard final || now - lastDraw > 50_000_000 else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data("\r\(label): \(text)\u{1B}[K".utf8))
    }

    /// "compiling: lowered 1205/1205 functions, optimised 9/12, generated 7/12 partitions (71%)".
    func update(_ progress: CompileProgress) {
        draw("\(progress.summary) (\(Int(progress.fraction * 100))%)", final: progress.isLinking)
    }

    /// Clears the line so whatever follows starts on a clean one.
    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
