import KilnRuntimeC

/// A host function: receives the arguments and the calling instance, returns the results.
/// Throwing traps the Wasm caller.
public typealias HostFunction = (_ caller: Caller, _ args: [Value]) throws -> [Value]

/// The instance whose import is being called, as seen from inside a host function.
public struct Caller {
    let raw: OpaquePointer?

    /// The caller's linear memory `index` (its base never moves; its size may grow).
    public func memory(_ index: UInt32 = 0) -> UnsafeMutableRawBufferPointer? {
        guard let raw, let base = kiln_memory_data(raw, index) else { return nil }
        return UnsafeMutableRawBufferPointer(start: base, count: Int(kiln_memory_size(raw, index)))
    }

    /// Calls back into the calling instance's export `name`. A trap there unwinds only to this
    /// call and is thrown here (`KilnError.isTrap`); throwing it on from the host function then
    /// traps the original Wasm caller.
    @discardableResult
    public func call(_ name: String, _ args: [Value] = []) throws(KilnError) -> [Value] {
        guard let raw else { throw KilnError("no calling instance") }
        var ext = kiln_extern()
        guard kiln_instance_export(raw, name, &ext) == 0, ext.kind == KILN_EXTERN_FUNC, let f = ext.of.func else {
            throw KilnError("unknown export \"\(name)\"")
        }
        // No owner: the caller is running, so it outlives this call.
        return try Function(raw: f, owner: nil).call(args)
    }
}

/// What an instance imports, by module and name: host functions and other instances' externs.
///
/// The imports keep everything they bind alive: host closures (boxed and passed to the runtime as
/// the C `env` pointer) and the instances whose exports were linked. An `Instance` holds on to the
/// `Imports` it was created with, so the closures outlive every instance that can call them and
/// are freed together with the last such instance.
public final class Imports {
    let raw: OpaquePointer
    /// Swift objects the C side points into: host-function boxes and extern owners. The C imports
    /// object owns them (`kiln_imports_on_free`), since it may outlive this one: a wasi-threads
    /// program keeps it to instantiate its threads, which call the host functions.
    private let retained = RetainedByImports()

    public init() {
        raw = kiln_imports_new()
        kiln_imports_on_free(raw, releaseRetainedByImports, Unmanaged.passRetained(retained).toOpaque())
    }

    deinit { kiln_imports_free(raw) }

    /// Keeps `object` alive as long as the C imports object, which may point into it.
    func keepAlive(_ object: AnyObject) {
        retained.objects.append(object)
    }

    /// Binds an external (another instance's export, or a host-created memory/table/global).
    public func define(_ module: String, _ name: String, _ extern: Extern) throws(KilnError) {
        try Instance.checkCName(module)
        try Instance.checkCName(name)
        let (c, owner) = try extern.cExtern()
        guard kiln_imports_extern(raw, module, name, c) == 0 else {
            throw KilnError("cannot bind \(module).\(name)")
        }
        if let owner { keepAlive(owner) }
    }

    /// Binds a host function with the given signature.
    public func define(
        _ module: String, _ name: String,
        parameters: [ValueType], results: [ValueType],
        _ body: @escaping HostFunction
    ) throws(KilnError) {
        try Instance.checkCName(module)
        try Instance.checkCName(name)
        let box = HostFunctionBox(body: body, parameterCount: parameters.count, resultTypes: results)
        let params = parameters.map(\.cKind)
        let cResults = results.map(\.cKind)
        let env = Unmanaged.passUnretained(box).toOpaque()
        guard kiln_imports_func(raw, module, name, params, params.count, cResults, cResults.count, hostTrampoline, env) == 0 else {
            throw KilnError("cannot bind \(module).\(name)")
        }
        keepAlive(box)
    }

    /// Caps every linear memory of instances created with these imports, defined or imported, at
    /// `maximumBytes` (whole 64 KiB pages; nil: no cap): `memory.grow` past it returns -1, as the
    /// spec lets any grow fail, and instantiation fails if a memory starts larger.
    public func limitMemory(toBytes maximumBytes: UInt64?) {
        kiln_imports_limit_memory(raw, maximumBytes ?? 0)
    }

    /// Instances created with these imports start with `units` of fuel (`kiln_imports_set_fuel`;
    /// unlimited unless set). Only metered code (`CompileOptions.metered`) takes it: one unit at
    /// every function entry and loop iteration; none left traps "all fuel consumed".
    public func setFuel(_ units: UInt64) {
        kiln_imports_set_fuel(raw, units)
    }

    /// What a function import that these imports do not provide becomes (`kiln_imports_unknown`).
    public enum UnknownFunctionImports: Sendable {
        /// Instantiation fails with "unknown import" (the default).
        case fail
        /// A function that traps "call to an unknown import".
        case trap
        /// A function that returns zeros and null references.
        case returnDefaults
    }

    public func bindUnknownFunctionImports(_ policy: UnknownFunctionImports) {
        let c: kiln_unknown_imports = switch policy {
        case .fail: KILN_UNKNOWN_IMPORTS_ERROR
        case .trap: KILN_UNKNOWN_IMPORTS_TRAP
        case .returnDefaults: KILN_UNKNOWN_IMPORTS_DEFAULT
        }
        kiln_imports_unknown(raw, c)
    }
}

/// What an `Imports` keeps alive for the C imports object, released when that is destroyed.
private final class RetainedByImports {
    var objects: [AnyObject] = []
}

private func releaseRetainedByImports(_ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<RetainedByImports>.fromOpaque(context).release()
}

/// The closure behind a host function, reached through the C `env` pointer, with the signature
/// it was bound with (the runtime passes exactly that many arguments and expects that many results).
private final class HostFunctionBox {
    let body: HostFunction
    let parameterCount: Int
    let resultTypes: [ValueType]

    init(body: @escaping HostFunction, parameterCount: Int, resultTypes: [ValueType]) {
        self.body = body
        self.parameterCount = parameterCount
        self.resultTypes = resultTypes
    }
}

/// What a host function throws to raise a Wasm exception in its caller, where a try_table may
/// catch it. Any other error traps the caller. (Unchecked Sendable: it is thrown and caught on the
/// one thread that runs the call.)
public struct WasmException: Error, @unchecked Sendable {
    public let tag: Tag
    public let values: [Value]

    public init(tag: Tag, values: [Value] = []) {
        self.tag = tag
        self.values = values
    }
}

/// The one C entry point for every host function: unboxes the closure and converts values.
/// Returning non-zero makes the runtime trap the Wasm caller, which is also what happens when the
/// closure throws or returns results of the wrong number or types; a `WasmException` is thrown
/// on into Wasm instead (kiln_host_throw).
private let hostTrampoline: kiln_host_fn = { env, caller, args, results in
    guard let env else { return 1 }
    let box = Unmanaged<HostFunctionBox>.fromOpaque(env).takeUnretainedValue()
    let arguments = (0..<box.parameterCount).map { Value(args![$0], owner: nil) }
    let values: [Value]
    do {
        values = try box.body(Caller(raw: caller), arguments)
    } catch let exception as WasmException {
        let cValues = exception.values.map(\.cValue)
        return kiln_host_throw(exception.tag.raw, cValues, cValues.count) == KILN_HOST_THROWS ? KILN_HOST_THROWS : 1
    } catch {
        return 1
    }
    guard values.map(\.type) == box.resultTypes else { return 1 }
    for (i, value) in values.enumerated() { results![i] = value.cValue }
    return 0
}
