import KilnRuntimeC

/// An instantiated module: its memories, tables and globals, ready to call.
///
/// `close()` frees the instance at once (its memories are unmapped unless another live instance
/// imported them); deinit closes too. A `Function`, `Memory` or `Global` taken from an instance
/// keeps the Swift object alive, so only an explicit `close()` ends them early.
public final class Instance {
    private(set) var raw: OpaquePointer?
    /// Held until deinit, not just until close(): a host function bound here may have been
    /// re-exported to another instance that is still running, and its closure lives in `imports`.
    private let imports: Imports?

    /// Instantiates `module`: reserves memories, evaluates globals, applies segments, binds
    /// `imports` and runs the start function. Throws on an unlinkable import or a trap in start
    /// (`KilnError.isTrap`), leaving nothing behind.
    public init(module: Module, imports: Imports? = nil) throws(KilnError) {
        guard let moduleRaw = module.raw else { throw KilnError("module is closed") }
        var error: OpaquePointer?
        guard let raw = kiln_instance_new(moduleRaw, imports?.raw, &error) else {
            throw KilnError(consuming: error, fallback: "instantiation failed")
        }
        self.raw = raw
        self.imports = imports
    }

    func checkedRaw() throws(KilnError) -> OpaquePointer {
        guard let raw else { throw KilnError("instance is closed") }
        return raw
    }

    /// Calls the exported function `name`. Traps come back as a `KilnError` with `isTrap` set;
    /// the instance stays usable afterwards.
    @discardableResult
    public func call(_ name: String, _ args: [Value] = []) throws(KilnError) -> [Value] {
        try function(name).call(args)
    }

    /// The names of all exports, in module order. (The C API returns them NUL-terminated: a name
    /// with a NUL inside comes back cut short; look such exports up with the full name.)
    public var exportNames: [String] {
        guard let raw else { return [] }
        return (0..<kiln_instance_export_count(raw)).compactMap { index in
            kiln_instance_export_name(raw, index).map { String(cString: $0) }
        }
    }

    /// What another thread uses to interrupt this instance's running call (`kiln_instance_interrupt`):
    /// it traps "interrupted" at its next check (every loop iteration of code compiled with
    /// `CompileOptions.interruptible`, every function entry that can call), and the instance
    /// stays usable. Valid while the instance is open: stop using it before `close()`.
    public var interrupter: Interrupter { Interrupter(raw: raw) }

    /// The fuel left for metered code (`kiln_instance_fuel`, 0 once a call trapped "all fuel
    /// consumed"); setting it gives the instance more (`kiln_instance_set_fuel`).
    public var fuel: UInt64 {
        get { raw.map { kiln_instance_fuel($0) } ?? 0 }
        set { if let raw { kiln_instance_set_fuel(raw, newValue) } }
    }

    /// Interrupts one instance from any thread; see `Instance.interrupter`.
    public struct Interrupter: @unchecked Sendable {
        fileprivate let raw: OpaquePointer?

        public func interrupt() {
            if let raw { kiln_instance_interrupt(raw) }
        }
    }

    /// Looks up an export by name; nil if there is none (or the instance is closed).
    /// Names are byte strings (a Wasm name may contain NUL), so the lookup passes the length.
    public func export(_ name: String) -> Extern? {
        guard let raw else { return nil }
        var ext = kiln_extern()
        let bytes = Array(name.utf8) + [0]  // never empty, so the base address is never nil
        let found = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { kiln_instance_export_bytes(raw, $0.baseAddress, bytes.count - 1, &ext) }
        }
        return found == 0 ? Extern(ext, owner: self) : nil
    }

    /// The exported function `name`, or an error saying what was found instead.
    public func function(_ name: String) throws(KilnError) -> Function {
        _ = try checkedRaw()
        switch export(name) {
        case .function(let f): return f
        case nil: throw KilnError("unknown export \"\(name)\"")
        default: throw KilnError("export \"\(name)\" is not a function")
        }
    }

    /// The exported global `name`, or an error saying what was found instead.
    public func global(_ name: String) throws(KilnError) -> Global {
        _ = try checkedRaw()
        switch export(name) {
        case .global(let g): return g
        case nil: throw KilnError("unknown export \"\(name)\"")
        default: throw KilnError("export \"\(name)\" is not a global")
        }
    }

    /// A view of linear memory `index` (exported or not); nil if there is no such memory.
    public func memory(_ index: UInt32 = 0) -> Memory? {
        guard let raw, kiln_memory_data(raw, index) != nil else { return nil }
        return Memory(instance: self, index: index)
    }

    /// Import names cross the C API as NUL-terminated strings, so a name with a NUL inside
    /// (valid in Wasm) would silently name something else; refuse it instead.
    static func checkCName(_ name: String) throws(KilnError) {
        if name.utf8.contains(0) {
            throw KilnError("names containing NUL are not supported by the C API: \(name.debugDescription)")
        }
    }

    /// Frees the instance now. Safe to call more than once.
    public func close() {
        if let raw { kiln_instance_free(raw) }
        raw = nil
    }

    deinit { close() }
}
