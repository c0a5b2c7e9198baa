import KilnRuntimeC

/// Something an instance exports and another imports.
public enum Extern {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)
    case tag(Tag)

    init?(_ c: kiln_extern, owner: AnyObject) {
        switch c.kind {
        case KILN_EXTERN_FUNC: guard let f = c.of.func else { return nil }; self = .function(Function(raw: f, owner: owner))
        case KILN_EXTERN_TABLE: guard let t = c.of.table else { return nil }; self = .table(Table(raw: t, owner: owner))
        case KILN_EXTERN_MEMORY: guard let m = c.of.memory else { return nil }; self = .memory(Memory(raw: m, owner: owner))
        case KILN_EXTERN_GLOBAL: guard let g = c.of.global else { return nil }; self = .global(Global(raw: g, owner: owner))
        case KILN_EXTERN_TAG: guard let t = c.of.tag else { return nil }; self = .tag(Tag(raw: t, owner: owner))
        default: return nil
        }
    }

    /// The C form, plus the Swift object that must outlive any use of it.
    func cExtern() throws(KilnError) -> (kiln_extern, owner: AnyObject?) {
        var c = kiln_extern()
        switch self {
        case .function(let f): c.kind = KILN_EXTERN_FUNC; c.of.func = f.raw; return (c, f.owner)
        case .table(let t): c.kind = KILN_EXTERN_TABLE; c.of.table = t.raw; return (c, t.owner)
        case .global(let g): c.kind = KILN_EXTERN_GLOBAL; c.of.global = g.raw; return (c, g.owner)
        case .tag(let t): c.kind = KILN_EXTERN_TAG; c.of.tag = t.raw; return (c, t.owner)
        case .memory(let m):
            // A view made by `Instance.memory(_:)` has no C object; take the memory's export instead.
            guard let raw = m.raw else { throw KilnError("only an exported or host-created memory can be imported") }
            c.kind = KILN_EXTERN_MEMORY; c.of.memory = raw; return (c, nil)
        }
    }
}

/// A function: an export, an import, or a function reference value.
public struct Function {
    let raw: UnsafeMutablePointer<kiln_func>
    /// Keeps the instance the function belongs to alive.
    let owner: AnyObject?

    public var parameters: [ValueType] {
        (0..<kiln_func_param_count(raw)).compactMap { ValueType(kiln_func_param(raw, $0)) }
    }
    public var results: [ValueType] {
        (0..<kiln_func_result_count(raw)).compactMap { ValueType(kiln_func_result(raw, $0)) }
    }

    /// Calls the function; a trap is thrown as a `KilnError` with `isTrap` set.
    @discardableResult
    public func call(_ args: [Value] = []) throws(KilnError) -> [Value] {
        if let instance = owner as? Instance { _ = try instance.checkedRaw() }
        let cArgs = args.map(\.cValue)
        var cResults = [kiln_val](repeating: kiln_val(), count: kiln_func_result_count(raw))
        var error: OpaquePointer?
        let status = cResults.withUnsafeMutableBufferPointer { results in
            kiln_func_call(raw, cArgs, cArgs.count, results.baseAddress, results.count, &error)
        }
        guard status == 0 else { throw KilnError(consuming: error, fallback: "call failed") }
        return cResults.map { Value($0, owner: owner) }
    }
}

/// A global variable.
public struct Global {
    let raw: OpaquePointer
    let owner: AnyObject?

    /// Creates a global owned by the host, to give to instances as an import.
    public static func create(_ value: Value, mutable: Bool = false) throws(KilnError) -> Global {
        var error: OpaquePointer?
        guard let raw = kiln_global_new(value.cValue, mutable ? 1 : 0, &error) else {
            throw KilnError(consuming: error, fallback: "cannot create global")
        }
        return Global(raw: raw, owner: Releaser { kiln_global_release(raw) })
    }

    public var value: Value { Value(kiln_global_get(raw), owner: owner) }

    /// Fails for an immutable global or a value of another type.
    public func set(_ value: Value) throws(KilnError) {
        guard kiln_global_set(raw, value.cValue) == 0 else {
            throw KilnError("cannot set global to \(value)")
        }
    }
}

/// A table of references; opaque to the host except to pass it on as an import.
public struct Table {
    let raw: UnsafeMutablePointer<kiln_table>
    let owner: AnyObject?

    /// Creates a table owned by the host, to give to instances as an import.
    public static func create(element: ValueType, min: UInt32, max: UInt32? = nil) throws(KilnError) -> Table {
        var error: OpaquePointer?
        guard let raw = kiln_table_new(element.cKind, min, max ?? UInt32.max, &error) else {
            throw KilnError(consuming: error, fallback: "cannot create table")
        }
        return Table(raw: raw, owner: Releaser { kiln_table_release(raw) })
    }

    /// Creates a 64-bit table (table64), which only an import declared `i64` accepts.
    public static func create64(element: ValueType, min: UInt64, max: UInt64? = nil) throws(KilnError) -> Table {
        var error: OpaquePointer?
        guard let raw = kiln_table_new64(element.cKind, min, max ?? UInt64.max, &error) else {
            throw KilnError(consuming: error, fallback: "cannot create table")
        }
        return Table(raw: raw, owner: Releaser { kiln_table_release(raw) })
    }
}
