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
    /// For a Wasm exception that left the called function uncaught (never a trap): the values it
    /// carried, and its tag's identity (compare with `Tag.identity`). Nil otherwise.
    public var exception: UncaughtException?

    /// Unchecked: its values own nothing (a function reference among them keeps no instance
    /// alive), so they are plain bits that any thread may read.
    public struct UncaughtException: @unchecked Sendable {
        public var values: [Value]
        /// The address of the tag object, which is what exceptions match by.
        public var tagIdentity: UInt
    }

    public var isException: Bool { exception != nil }

    public init(_ message: String, isTrap: Bool = false, exitStatus: Int32? = nil, frames: [String] = [],
                exception: UncaughtException? = nil) {
        self.message = message
        self.isTrap = isTrap
        self.exitStatus = exitStatus
        self.frames = frames
        self.exception = exception
    }

    /// Takes ownership of a C error (freeing it); `fallback` is used when the runtime gave none.
    init(consuming error: OpaquePointer?, fallback: String) {
        guard let error else {
            self.init(fallback)
            return
        }
        defer { kiln_error_free(error) }
        self.init(copying: error, fallback: fallback)
    }

    /// A copy of a C error that stays the runtime's.
    init(copying error: OpaquePointer, fallback: String) {
        var status: Int32 = 0
        self.init(
            kiln_error_message(error).map { String(cString: $0) } ?? fallback,
            isTrap: kiln_error_is_trap(error) != 0,
            exitStatus: kiln_error_exit_status(error, &status) != 0 ? status : nil,
            // Copied now: the frame strings belong to the C error.
            frames: (0..<kiln_error_frame_count(error)).map { index in
                kiln_error_frame(error, index).map { String(cString: $0) } ?? "?"
            },
            exception: Self.uncaughtException(of: error)
        )
    }

    public var description: String { isTrap ? "trap: \(message)" : message }

    private static func uncaughtException(of error: OpaquePointer) -> UncaughtException? {
        guard kiln_error_is_exception(error) != 0, let tag = kiln_error_exception_tag(error) else { return nil }
        let values = (0..<kiln_error_exception_value_count(error)).map { index in
            var value = kiln_val()
            _ = kiln_error_exception_value(error, index, &value)
            // Function references in an exception's values keep no instance alive: copy them out
            // before freeing the instance if they are needed.
            return Value(value, owner: nil)
        }
        return UncaughtException(values: values, tagIdentity: UInt(bitPattern: tag))
    }
}
