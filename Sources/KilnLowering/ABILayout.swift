import CLLVM
import KilnLLVM
import KilnRuntimeC

/// Byte offsets into the runtime structures generated code reads, taken from kiln_abi.h itself so
/// the code generator and the runtime cannot disagree (DESIGN.md, decision 5).
enum ABI {
    static let version = UInt32(KILN_ABI_VERSION)
    static let descriptorSymbol = KILN_DESCRIPTOR_SYMBOL
    /// The most pages a 32-bit memory ever has (AddressNoWrap relies on it).
    static let memory32MaxPages = UInt64(KILN_MEMORY32_MAX_PAGES)
    static let wasmPageSize = UInt64(KILN_WASM_PAGE_SIZE)

    /// The context pointer every generated function receives points just past its kiln_vmctx
    /// (kiln_abi.h), where a memory 0 the module defines begins, so that memory's accesses need
    /// no displacement; the vmctx's fields are at negative offsets from it (as UInt64 bit
    /// patterns, which a GEP's signed index reads back as negative).
    enum VMContext {
        static let size = UInt64(MemoryLayout<kiln_vmctx>.size)
        static let memory0Base = field(\kiln_vmctx.memory0_base)
        static let memories = field(\kiln_vmctx.memories)
        static let tables = field(\kiln_vmctx.tables)
        static let globals = field(\kiln_vmctx.globals)
        static let funcs = field(\kiln_vmctx.funcs)
        static let typeIDs = field(\kiln_vmctx.type_ids)
        static let runtime = field(\kiln_vmctx.rt)
        static let stackLimit = field(\kiln_vmctx.stack_limit)
        static let tags = field(\kiln_vmctx.tags)
        static let fuel = field(\kiln_vmctx.fuel)
        /// From the context pointer back to the kiln_vmctx itself, which the runtime's entry
        /// points take.
        static let start = 0 &- size
        /// How many of the globals a module defines have their cells below the kiln_vmctx.
        static let inlineGlobals = UInt32(KILN_INLINE_GLOBALS)
        /// From the context pointer to the cell of defined global `k` (below inlineGlobals): the
        /// vmctx's area rounded up to 16 bytes, then 16 bytes a cell (KILN_INLINE_GLOBAL_OFFSET).
        static func inlineGlobalCell(_ k: UInt32) -> UInt64 {
            let area = (size + 15) & ~15
            return 0 &- (area + 16 * (UInt64(k) + 1))
        }

        private static func field(_ path: PartialKeyPath<kiln_vmctx>) -> UInt64 { offset(path) &- size }
    }

    enum Exception {
        /// The unwinder's exception_class of every Kiln exception.
        static let exceptionClass = UInt64(KILN_EXCEPTION_CLASS)
        static let personality = offset(\kiln_exception.personality)
        static let tag = offset(\kiln_exception.tag)
        static let values = offset(\kiln_exception.values)
    }

    enum Func {
        static let code = offset(\kiln_func.code)
        static let context = offset(\kiln_func.ctx)
        static let typeID = offset(\kiln_func.type_id)
    }

    enum Memory {
        static let base = offset(\kiln_memory.base)
        static let size = offset(\kiln_memory.size)
    }

    enum Table {
        static let elements = offset(\kiln_table.elements)
        static let size = offset(\kiln_table.size)
    }

    enum HostFunc {
        static let invoke = offset(\kiln_host_func.invoke)
    }

    /// Offsets of the kiln_runtime_api entry points.
    enum Runtime {
        static let trap = offset(\kiln_runtime_api.trap)
        static let memoryGrow = offset(\kiln_runtime_api.memory_grow)
        static let memoryFill = offset(\kiln_runtime_api.memory_fill)
        static let memoryCopy = offset(\kiln_runtime_api.memory_copy)
        static let memoryInit = offset(\kiln_runtime_api.memory_init)
        static let dataDrop = offset(\kiln_runtime_api.data_drop)
        static let tableGet = offset(\kiln_runtime_api.table_get)
        static let tableSet = offset(\kiln_runtime_api.table_set)
        static let tableGrow = offset(\kiln_runtime_api.table_grow)
        static let tableFill = offset(\kiln_runtime_api.table_fill)
        static let tableCopy = offset(\kiln_runtime_api.table_copy)
        static let tableInit = offset(\kiln_runtime_api.table_init)
        static let elemDrop = offset(\kiln_runtime_api.elem_drop)
        static let `throw` = offset(\kiln_runtime_api.throw_)
        static let throwRef = offset(\kiln_runtime_api.throw_ref)
        static let exceptionRelease = offset(\kiln_runtime_api.exception_release)
        static let exceptionHold = offset(\kiln_runtime_api.exception_hold)
        static let atomicWait = offset(\kiln_runtime_api.atomic_wait)
        static let atomicNotify = offset(\kiln_runtime_api.atomic_notify)
    }

    /// Size of one array-convention slot (kiln_cell).
    static let cellSize = MemoryLayout<kiln_cell>.stride

    enum Trap {
        static let unreachable = KILN_TRAP_UNREACHABLE.rawValue
        static let memoryOutOfBounds = KILN_TRAP_MEMORY_OUT_OF_BOUNDS.rawValue
        static let divideByZero = KILN_TRAP_INT_DIVIDE_BY_ZERO.rawValue
        static let overflow = KILN_TRAP_INT_OVERFLOW.rawValue
        static let invalidConversion = KILN_TRAP_INVALID_CONVERSION.rawValue
        static let undefinedElement = KILN_TRAP_UNDEFINED_ELEMENT.rawValue
        static let uninitializedElement = KILN_TRAP_UNINITIALIZED_ELEMENT.rawValue
        static let indirectCallMismatch = KILN_TRAP_INDIRECT_CALL_MISMATCH.rawValue
        static let stackExhausted = KILN_TRAP_STACK_EXHAUSTED.rawValue
        static let nullReference = KILN_TRAP_NULL_REFERENCE.rawValue
        static let nullFunctionReference = KILN_TRAP_NULL_FUNCTION_REFERENCE.rawValue
        static let outOfFuel = KILN_TRAP_OUT_OF_FUEL.rawValue
        static let unalignedAtomic = KILN_TRAP_UNALIGNED_ATOMIC.rawValue
        static let expectedSharedMemory = KILN_TRAP_EXPECTED_SHARED_MEMORY.rawValue
    }

    private static func offset<Root>(_ path: PartialKeyPath<Root>) -> UInt64 {
        guard let offset = MemoryLayout<Root>.offset(of: path) else {
            preconditionFailure("kiln_abi.h field without a stored offset")
        }
        return UInt64(offset)
    }
}

/// The ABI facts other modules need (the compiler records the version in its fingerprint).
public enum ABIInfo {
    public static let version = ABI.version
}

extension IRBuilder {
    /// The address of cell `index` (a kiln_cell) of an array of cells.
    func cell(_ cells: LLVMValueRef, _ index: Int) -> LLVMValueRef {
        LLVMBuildGEP2(builder, i8, cells, [i64(UInt64(index * ABI.cellSize))], "")!
    }
}
