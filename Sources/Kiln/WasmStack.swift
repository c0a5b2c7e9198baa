import KilnRuntimeC

/// The native stack that Wasm code may use on the calling thread (`kiln_thread_max_stack`).
public enum WasmStack {
    /// Caps the stack of Wasm code called on this thread at `bytes` below the caller's frame
    /// (nil: no cap, the thread's whole stack less the runtime's margin). Deeper calls trap
    /// "call stack exhausted" and leave the instance usable. Takes effect at the next call into
    /// Wasm from this thread.
    ///
    /// - Returns: the bytes Wasm may use, less than asked when the thread's stack is smaller.
    @discardableResult
    public static func limit(toBytes bytes: Int?) -> Int {
        Int(kiln_thread_max_stack(bytes.map { max(1, $0) } ?? 0))
    }
}
