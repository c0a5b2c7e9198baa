import KilnRuntimeC

/// WASI preview 1 for the instances created from these imports (the C runtime's implementation;
/// see `kiln_imports_wasi` in kiln.h for the sandbox and the per-instance state).
///
/// Call `bindWASI` first; the other methods change its configuration and only affect instances
/// created afterwards. A command runs by calling its `_start` export: a normal return means
/// status 0, and `proc_exit` comes back as a `KilnError` with `exitStatus` set (never as a trap).
extension Imports {
    /// Binds every `wasi_snapshot_preview1` function, with `arguments` as the guest's argv
    /// (`arguments[0]` is the program name it sees), the host's environment as it is now and the
    /// host's fds 0, 1, 2 as its stdio. Calling it again replaces only the arguments.
    public func bindWASI(arguments: [String]) throws(KilnError) {
        for argument in arguments { try Instance.checkCName(argument) }
        let status = withCStrings(arguments) { argv in
            kiln_imports_wasi(raw, Int32(arguments.count), argv)
        }
        guard status == 0 else { throw KilnError("cannot bind WASI") }
    }

    /// Makes the host directory `host` (opened now, so it must exist) visible to the guest as
    /// `guest` (default: the same name). wasi-libc resolves relative paths against a preopen
    /// named ".".
    public func preopenWASI(host: String, guest: String? = nil) throws(KilnError) {
        guard kiln_imports_wasi_preopen(raw, host, guest) == 0 else {
            let reason = String(cString: strerror(errno))
            throw KilnError("cannot preopen \(host)\(guest.map { " as \($0)" } ?? ""): \(reason)")
        }
    }

    /// Sets one `KEY=VALUE` in the guest's environment, replacing any `KEY` already there.
    public func setWASIEnvironment(_ keyValue: String) throws(KilnError) {
        try Instance.checkCName(keyValue)
        guard kiln_imports_wasi_env_set(raw, keyValue) == 0 else {
            throw KilnError("not a KEY=VALUE environment entry: \(keyValue.debugDescription)")
        }
    }

    /// Replaces the guest's whole environment (`KEY=VALUE` strings).
    public func replaceWASIEnvironment(_ entries: [String]) throws(KilnError) {
        for entry in entries { try Instance.checkCName(entry) }
        let status = withCStrings(entries) { envp in kiln_imports_wasi_env(raw, envp) }
        guard status == 0 else { throw KilnError("cannot set the WASI environment") }
    }

    /// For every shared memory `module` imports and these imports do not bind yet, creates one of
    /// the import's type and binds it: what a wasi-threads program (built for
    /// wasm32-wasi-threads) expects of its host. `bindWASI` binds its `thread-spawn`; see kiln.h
    /// for how its threads run and end. Host functions bound here are called from those threads
    /// too; these imports keep them alive for as long as the program runs.
    public func createSharedMemories(for module: Module) throws(KilnError) {
        guard let moduleRaw = module.raw, kiln_imports_create_shared_memories(raw, moduleRaw) == 0 else {
            throw KilnError("cannot create the shared memories the module imports")
        }
    }

    /// Calls `handler` once, on the thread that ended it, when a wasi-threads program ends by
    /// `proc_exit`, a trap or an uncaught exception in one of its threads, with that end
    /// (`kiln_imports_wasi_on_end`). A command-line runner reports it and exits the process
    /// there, which stops at once threads busy in code that never checks or blocked reading.
    public func onWASIProgramEnd(_ handler: @escaping @Sendable (KilnError) -> Void) throws(KilnError) {
        let box = ProgramEndHandler(handler)
        guard kiln_imports_wasi_on_end(raw, programEnded, Unmanaged.passUnretained(box).toOpaque()) == 0 else {
            throw KilnError("cannot watch for the program's end (bind WASI first)")
        }
        keepAlive(box)
    }

    /// Uses these host fds as the guest's stdin, stdout and stderr (-1: absent). They are
    /// borrowed: keep them open as long as instances created from these imports run.
    public func setWASIStdio(stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2) throws(KilnError) {
        guard kiln_imports_wasi_stdio(raw, stdin, stdout, stderr) == 0 else {
            throw KilnError("cannot set WASI stdio (bind WASI first)")
        }
    }
}

/// Calls `body` with a NULL-terminated C array of `strings`, valid only during the call (the
/// runtime copies what it keeps).
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

#if canImport(Glibc)
import Glibc
#endif

private final class ProgramEndHandler {
    let body: @Sendable (KilnError) -> Void
    init(_ body: @escaping @Sendable (KilnError) -> Void) { self.body = body }
}

private func programEnded(_ end: OpaquePointer?, _ context: UnsafeMutableRawPointer?) {
    guard let end, let context else { return }
    let handler = Unmanaged<ProgramEndHandler>.fromOpaque(context).takeUnretainedValue()
    handler.body(KilnError(copying: end, fallback: "the program ended"))
}
