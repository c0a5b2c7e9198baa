import KilnRuntimeC

/// An error from the Kiln runtime: a trap, a failed load or instantiation, a bad call, or a WASI
/// program exiting.
public struct KilnError: Error, CustomStringConvertible, Sendable {
    /// The runtime's message; for a trap, the spec's wording ("unreachable", "integer overflow").
    public var message: String
    /// True when Wasm code trapped (as opposed to e.g. an unknown export or an unlinkable import).
    public var isTrap: Bool
    /// Set when the program ended through WASI `proc_exit`.
    public var exitStatus: Int32?
    /// For a trap: the Wasm functions that were on the stack, innermost first, named from the
    /// module's name section (or "wasm-function[N]" where it has none). Empty otherwise.
    public var frames: [String]

    public init(_ message: String, isTrap: Bool = false, exitStatus: Int32? = nil, frames: [String] = []) {
        self.message = message
        self.isTrap = isTrap
        self.exitStatus = exitStatus
        self.frames = frames
    }

    /// Takes ownership of a C error (freeing it); `fallback` is used when the runtime gave none.
    init(consuming error: OpaquePointer?, fallback: String) {
        guard let error else {
            self.init(fallback)
            return
        }
        defer { kiln_error_free(error) }
        var status: Int32 = 0
        self.init(
            kiln_error_message(error).map { String(cString: $0) } ?? fallback,
            isTrap: kiln_error_is_trap(error) != 0,
            exitStatus: kiln_error_exit_status(error, &status) != 0 ? status : nil,
            // Copied now: the frame strings belong to the C error, freed on the way out.
            frames: (0..<kiln_error_frame_count(error)).map { index in
                kiln_error_frame(error, index).map { String(cString: $0) } ?? "?"
            }
        )
    }

    public var description: String { isTrap ? "trap: \(message)" : message }
}
