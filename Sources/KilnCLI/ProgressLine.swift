import Foundation

/// A one-line progress display on stderr, rewritten in place ("compiling: 120/3000 functions").
/// Only on a terminal: in a pipe or a log it prints nothing, so scripts and CI stay quiet.
/// Not locked: callers serialise `update` (the worker pool reports under its own lock).
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let enabled = isatty(STDERR_FILENO) != 0
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init(label: String, unit: String) {
        self.label = label
        self.unit = unit
    }

    func update(_ done: Int, of total: Int) {
        guard enabled else { return }
        // Redraw at most every 50 ms: lowering thousands of small functions must not be slowed
        // down by the terminal.
        let now = DispatchTime.now().uptimeNanoseconds
        guard done == total || now - lastDraw > 50_000_000 else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) \(unit)\u{1B}[K".utf8))
    }

    /// Clears the line so whatever follows starts on a clean one.
    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
