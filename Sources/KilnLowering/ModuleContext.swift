import CLLVM
import KilnLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// What every function's lowering in one partition needs to know about the module being
/// compiled, and the partition's LLVM symbols for the module's functions.
final class ModuleContext {
    let module: WasmModule
    let partition: Partition
    /// Type of every global, imported ones first.
    let globalTypes: [GlobalType]
    /// Every linear memory, imported ones first.
    let memories: [LinearMemory]
    let inlining: InliningBudget
    let loadKeeping: LoadKeeping
    /// Whether memory accesses carry `AliasTags`.
    let tagsAliasDomains: Bool
    /// Whether loops check for interruption on every iteration.
    let interruptible: Bool
    /// Whether function entries and loop iterations take fuel.
    let metered: Bool
    let relaxedSimd: RelaxedSimdChoice
    let conventions: ConventionChoice
    let fixedTables: FixedTables
    /// The partition's debug info, when compiling with it.
    let debugInfo: DebugInfoEmitter?

    private let ir: IRBuilder
    private var symbols: [Int: LLVMValueRef] = [:]
    private var fixedTableArrays: [UInt32: FixedTableArrays] = [:]
    /// Functions of other partitions that calls here may inline, in the order they were first
    /// wanted; ModuleLowering lowers them as available_externally copies.
    private(set) var wantedCopies: [Int] = []
    private var isWanted: Set<Int> = []
    private var copyAllowance: Int

    init(
        ir: IRBuilder, module: WasmModule, partition: Partition, inlining: InliningBudget, loadKeeping: LoadKeeping,
        tagsAliasDomains: Bool, interruptible: Bool, metered: Bool, relaxedSimd: RelaxedSimdChoice,
        conventions: ConventionChoice, fixedTables: FixedTables, debugInfo: DebugInfoEmitter? = nil
    ) {
        self.ir = ir
        self.module = module
        self.partition = partition
        self.globalTypes = module.allGlobalTypes
        self.memories = LinearMemory.all(of: module)
        self.inlining = inlining
        self.loadKeeping = loadKeeping
        self.tagsAliasDomains = tagsAliasDomains
        self.interruptible = interruptible
        self.metered = metered
        self.relaxedSimd = relaxedSimd
        self.conventions = conventions
        self.fixedTables = fixedTables
        self.debugInfo = debugInfo
        self.copyAllowance = inlining.copyAllowance(for: partition)
    }

    /// The LLVM function for defined function `definedIndex` in this partition's module: a
    /// definition to fill if this partition owns it (or copies it), else a declaration that the
    /// linker resolves against the partition that does.
    ///
    /// Every defined function is external with hidden visibility: the descriptor (and so the
    /// runtime) takes every function's address anyway, other partitions call it by name, and
    /// hidden symbols are bound at link time, so calls stay direct (no PLT, no GOT) and nothing
    /// but the descriptor is exported from the shared object.
    func function(_ definedIndex: Int) -> LLVMValueRef {
        if let existing = symbols[definedIndex] { return existing }
        let functionIndex = UInt32(module.importedFunctionCount + definedIndex)
        let name = module.functionNames[functionIndex].map { "wasm[\(functionIndex)]:\($0)" } ?? "wasm[\(functionIndex)]"
        let type = module.types[Int(module.functionTypeIndices[definedIndex])]
        let function = ir.addWasmFunction(name, type, llvmConvention: conventions.llvmID(ofFunction: functionIndex))
        LLVMSetLinkage(function, LLVMExternalLinkage)
        LLVMSetVisibility(function, LLVMHiddenVisibility)
        let functionAttributes = LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex))
        if !module.usesExceptionHandling {
            // Traps leave Wasm code by longjmp, never by unwinding, and this module neither throws
            // nor catches. (Another instance's exception may still pass through its frames, by
            // their unwind tables, which is all a frame without a handler needs.)
            LLVMAddAttributeAtIndex(function, functionAttributes, ir.enumAttribute("nounwind"))
        }
        // Unwind tables (not exceptions) let the runtime walk the stack of a trap for its backtrace.
        LLVMAddAttributeAtIndex(function, functionAttributes, ir.enumAttribute("uwtable", 2))
        symbols[definedIndex] = function
        return function
    }

    /// The arrays of `table` in this partition's module if it is a fixed table (FixedTables).
    func arrays(ofFixedTable table: UInt32) -> FixedTableArrays? {
        if let existing = fixedTableArrays[table] { return existing }
        guard let slots = fixedTables.slots(of: table) else { return nil }
        let arrays = FixedTableArrays(table: table, count: slots.count, ir: ir)
        fixedTableArrays[table] = arrays
        return arrays
    }

    /// Defines every fixed table's arrays, which the other partitions declare: in the partition
    /// that carries the module's data.
    func defineFixedTableArrays() {
        for (table, slots) in fixedTables.all {
            arrays(ofFixedTable: table)!.define(slots: slots, module: module, function: function, ir: ir)
        }
    }

    /// Whether a call in this partition can have `definedIndex` inlined. A function another
    /// partition owns is then lowered here too, as a copy only the optimiser sees, while the
    /// partition's allowance for copies lasts.
    func makeInlinable(_ definedIndex: Int) -> Bool {
        if partition.functions.contains(definedIndex) || isWanted.contains(definedIndex) { return true }
        let size = module.codes[definedIndex].expression.count
        guard size <= InliningBudget.largestCopiedCallee, size <= copyAllowance else { return false }
        copyAllowance -= size
        isWanted.insert(definedIndex)
        wantedCopies.append(definedIndex)
        return true
    }
}
