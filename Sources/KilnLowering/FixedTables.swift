import CLLVM
import KilnFrontend
import KilnLLVM
import WasmParser
import WasmTypes

/// Tables whose every element is known when the module is compiled, so that `call_indirect`
/// through them reads neither the table nor a function record at run time.
///
/// A table that the module defines, does not export and never changes by an instruction (no
/// `table.set`, `table.grow` or `table.fill`, no `table.copy` or `table.init` into it) holds what
/// its active element segments put there at instantiation for as long as the instance lives: no
/// other module can reach it, and the embedding API reaches only exported tables. When those
/// segments have constant offsets, fit the table, and name only functions the module defines or
/// null (what wasm-ld emits for the function pointers of C and C++), every slot is known here.
///
/// Each such table that code calls through becomes two constant arrays in the object, under one
/// symbol defined by the partition that carries the module's data and declared by the others:
/// every slot's code address, and every slot's type as a module-local canonical type index (equal
/// exactly when the runtime's signature ids are equal) or `emptySlot`. A call checks the index against the constant
/// size and the slot's type against the one it expects, and calls the code with its own vmctx,
/// since every callee is one of its own functions. Those are the table's checks in the table's
/// order, so each call traps as it would through the table; what goes is the chain of dependent
/// loads (table, elements, record, type, code) in front of every indirect call.
struct FixedTables: Sendable {
    /// The type recorded for a slot that holds no function.
    static let emptySlot = UInt32.max
    /// Larger tables stay tables: the arrays cost 12 bytes a slot in the object.
    static let largestFixedTable = 1 << 18

    /// For each fixed table that code calls through (by index, imported ones first): the defined
    /// function in each slot, if any.
    private let slotsByTable: [UInt32: [Int?]]

    init(module: WasmModule) {
        var slotsByTable: [UInt32: [Int?]] = [:]
        for table in module.tablesCalledThrough {
            if let slots = Self.knownSlots(of: table, in: module) { slotsByTable[table] = slots }
        }
        self.slotsByTable = slotsByTable
    }

    /// The defined function in each slot of `table`, if it is a fixed table that code calls through.
    func slots(of table: UInt32) -> [Int?]? { slotsByTable[table] }

    /// Every fixed table that code calls through with its slots, in index order: the arrays the
    /// module data's partition defines.
    var all: [(table: UInt32, slots: [Int?])] {
        slotsByTable.keys.sorted().map { ($0, slotsByTable[$0]!) }
    }

    /// Whether `table` is one the module defines, does not export and no instruction changes, so
    /// that it holds what instantiation put there. Bodies are validated as they are lowered, after
    /// this: a table index may not exist.
    static func isPrivateAndUnchanged(_ table: UInt32, in module: WasmModule) -> Bool {
        let isExported = module.exports.contains { if case .table(table) = $0.descriptor { true } else { false } }
        return table >= module.importedTableTypes.count && table < module.allTableTypes.count
            && !module.tablesChangedByCode.contains(table) && !isExported
    }

    /// The slots of `table` after instantiation, or nil if they are not all known here.
    private static func knownSlots(of table: UInt32, in module: WasmModule) -> [Int?]? {
        guard isPrivateAndUnchanged(table, in: module) else { return nil }
        let definition = module.tables[Int(table) - module.importedTableTypes.count]
        guard definition.initializer == nil, definition.type.limits.min <= UInt64(largestFixedTable) else { return nil }

        var slots = [Int?](repeating: nil, count: Int(definition.type.limits.min))
        for segment in module.elements {
            guard case .active(table, let offsetExpression) = segment.mode else { continue }
            // A segment that does not fit makes instantiation fail: no call ever runs.
            guard let offset = constantOffset(offsetExpression), offset + segment.initializer.count <= slots.count else {
                return nil
            }
            for (position, item) in segment.initializer.enumerated() {
                switch item.filter({ $0 != .end }).first {
                case .refFunc(let function)?
                    where Int(function) >= module.importedFunctionCount && Int(function) < module.allFunctionTypeIndices.count:
                    slots[offset + position] = Int(function) - module.importedFunctionCount
                case .refNull?:
                    slots[offset + position] = nil
                default:
                    return nil  // an imported function, or a value read from a global
                }
            }
        }
        return slots
    }

    private static func constantOffset(_ expression: ConstExpression) -> Int? {
        let instructions = expression.filter { $0 != .end }
        guard instructions.count == 1 else { return nil }
        switch instructions[0] {
        case .i32Const(let value): return Int(exactly: UInt32(bitPattern: value))
        case .i64Const(let value): return value >= 0 ? Int(value) : nil
        default: return nil
        }
    }
}

/// One fixed table's arrays in one partition's module, as one symbol: `{ [count x ptr], [count x
/// i32] }`, each slot's code address (null where empty), then each slot's canonical type index or
/// `FixedTables.emptySlot`. One symbol rather than two because a call reads both arrays at the
/// same slot: from one base address, the types are a constant displacement past the code, so the
/// call holds one register for the table, not two, and one fewer callee-saved register is saved
/// and restored around a function's calls.
struct FixedTableArrays {
    let global: LLVMValueRef
    let arraysType: LLVMTypeRef
    let count: Int

    /// The arrays' symbol in `ir`'s module: a declaration, until `define` gives it contents.
    init(table: UInt32, count: Int, ir: IRBuilder) {
        self.count = count
        arraysType = ir.structType([LLVMArrayType2(ir.ptr, UInt64(count)), LLVMArrayType2(ir.i32, UInt64(count))])
        global = LLVMAddGlobal(ir.module, arraysType, "kiln.table\(table)")!
        LLVMSetGlobalConstant(global, 1)
        LLVMSetLinkage(global, LLVMExternalLinkage)
        LLVMSetVisibility(global, LLVMHiddenVisibility)
    }

    /// The address of `slot`'s code address (an i64 slot index below `count`).
    func codeAddress(ofSlot slot: LLVMValueRef, _ ir: IRBuilder) -> LLVMValueRef { element(0, slot, ir) }

    /// The address of `slot`'s type index.
    func typeAddress(ofSlot slot: LLVMValueRef, _ ir: IRBuilder) -> LLVMValueRef { element(1, slot, ir) }

    private func element(_ array: UInt32, _ slot: LLVMValueRef, _ ir: IRBuilder) -> LLVMValueRef {
        LLVMBuildInBoundsGEP2(ir.builder, arraysType, global, [ir.i64(UInt64(0)), ir.i32(array), slot], "")!
    }

    /// Gives the arrays their contents: `slots` as FixedTables found them.
    func define(slots: [Int?], module: WasmModule, function: (Int) -> LLVMValueRef, ir: IRBuilder) {
        let codes = slots.map { $0.map(function) ?? ir.nullPointer() }
        let types = slots.map { slot in
            ir.i32(slot.map { module.canonicalTypeIndices[Int(module.functionTypeIndices[$0])] } ?? FixedTables.emptySlot)
        }
        let arrays = [LLVMConstArray2(ir.ptr, codes, UInt64(count))!, LLVMConstArray2(ir.i32, types, UInt64(count))!]
        LLVMSetInitializer(global, LLVMConstNamedStruct(arraysType, arrays))
    }
}
