import KilnRuntimeC

/// A compiled module (a shared object written by `kiln compile`), loaded and checked.
///
/// `close()` drops this handle at once; the shared object itself is unloaded when no instance
/// uses it any more. deinit closes too, so scoping a `Module` is enough.
///
/// To go from Wasm bytes to a loaded module in one call, compiling only when the on-disk cache
/// has no entry, use KilnCache: `try CompilationCache.open().loadModule(for: wasm)` (keep the
/// returned `LoadedModule`'s artifact alive as long as its module). This target cannot offer it
/// itself: the cache depends on the compiler, and the runtime API must not.
public final class Module {
    private(set) var raw: OpaquePointer?

    /// Loads the shared object at `path` and checks its descriptor (ABI version, CPU features).
    public init(path: String) throws(KilnError) {
        var error: OpaquePointer?
        guard let raw = kiln_module_load(path, &error) else {
            throw KilnError(consuming: error, fallback: "cannot load \(path)")
        }
        self.raw = raw
    }

    /// The compiler fingerprint recorded in the module (version, LLVM, target, CPU, options).
    public var fingerprint: String {
        guard let raw, let text = kiln_module_fingerprint(raw) else { return "" }
        return String(cString: text)
    }

    /// Instantiates the module; see `Instance.init(module:imports:)`.
    public func instantiate(imports: Imports? = nil) throws(KilnError) -> Instance {
        try Instance(module: self, imports: imports)
    }

    /// Releases the handle now. Safe to call more than once.
    public func close() {
        if let raw { kiln_module_release(raw) }
        raw = nil
    }

    deinit { close() }
}

/// The version of the Kiln runtime library in this process (`kiln_version()`), which is also
/// the version of the compiler it came with.
public var runtimeVersion: String { String(cString: kiln_version()) }
