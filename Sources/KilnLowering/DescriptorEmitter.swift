import CLLVM
import KilnFrontend
import KilnLLVM
import KilnRuntimeC
import WasmParser
import WasmTypes

/// Emits the one symbol a compiled module exports: a `kiln_module_descriptor` (kiln_abi.h) with
/// everything the runtime needs to instantiate the module.
///
/// The LLVM struct types below mirror the C structs field by field; `checkLayouts` compares their
/// sizes with the C compiler's, so a change to the header that is not mirrored here fails loudly
/// at the first compile instead of producing a module the runtime misreads.
struct DescriptorEmitter {
    let ir: IRBuilder
    let module: WasmModule

    private let limitsType: LLVMTypeRef
    private let constInstrType: LLVMTypeRef
    private let constExprType: LLVMTypeRef
    private let typeDescType: LLVMTypeRef
    private let importDescType: LLVMTypeRef
    private let exportDescType: LLVMTypeRef
    private let funcDescType: LLVMTypeRef
    private let tableDescType: LLVMTypeRef
    private let globalDescType: LLVMTypeRef
    private let elemDescType: LLVMTypeRef
    private let dataDescType: LLVMTypeRef
    private let moduleDescType: LLVMTypeRef

    init(ir: IRBuilder, module: WasmModule) {
        self.ir = ir
        self.module = module
        let (i32, i64, ptr) = (ir.i32, ir.i64, ir.ptr)
        limitsType = ir.structType([i64, i64, i32, i32])
        constInstrType = ir.structType([i32, i32, LLVMArrayType2(i64, 2)])
        constExprType = ir.structType([ptr, i32, i32])
        typeDescType = ir.structType([ptr, ptr, i32, i32, ptr, ptr, i32, i32])
        importDescType = ir.structType([ptr, ptr, i32, i32, i32, i32, limitsType])
        exportDescType = ir.structType([ptr, i32, i32, i32, i32])
        funcDescType = ir.structType([ptr, ptr, i32, i32])
        tableDescType = ir.structType([i32, i32, limitsType, constExprType])
        globalDescType = ir.structType([i32, i32, constExprType])
        elemDescType = ir.structType([i32, i32, i32, i32, constExprType, ptr])
        dataDescType = ir.structType([i32, i32, constExprType, ptr, i64])
        moduleDescType = ir.structType(
            [i32, i32, ptr] + Array(repeating: i32, count: 10) + Array(repeating: ptr, count: 9) + [i32, i32, ptr])
    }

    func checkLayouts() {
        let layout = LLVMGetModuleDataLayout(ir.module)
        func check<T>(_ type: LLVMTypeRef, _: T.Type) {
            let size = Int(LLVMABISizeOfType(layout, type))
            precondition(size == MemoryLayout<T>.size, "descriptor layout of \(T.self) disagrees with kiln_abi.h")
        }
        check(limitsType, kiln_limits_desc.self)
        check(constInstrType, kiln_const_instr.self)
        check(constExprType, kiln_const_expr.self)
        check(typeDescType, kiln_type_desc.self)
        check(importDescType, kiln_import_desc.self)
        check(exportDescType, kiln_export_desc.self)
        check(funcDescType, kiln_func_desc.self)
        check(tableDescType, kiln_table_desc.self)
        check(globalDescType, kiln_global_desc.self)
        check(elemDescType, kiln_elem_desc.self)
        check(dataDescType, kiln_data_desc.self)
        check(moduleDescType, kiln_module_descriptor.self)
    }

    /// - Parameters:
    ///   - definedFunctions: LLVM functions of the defined functions.
    ///   - trampolines: produces the per-signature array call and host thunk.
    func emit(
        definedFunctions: [LLVMValueRef], trampolines: inout Trampolines, fingerprint: String, cpuFeatures: UInt32
    ) throws(WasmError) {
        checkLayouts()
        // A typeword holds a type index in the bits above KILN_ABI_TYPE_INDEX_SHIFT.
        let typeIndexLimit = 1 << (32 - Int(KILN_ABI_TYPE_INDEX_SHIFT))
        if module.types.count > typeIndexLimit {
            throw WasmError(.unsupported, "more than \(typeIndexLimit) types in one module", offset: nil)
        }
        let groups = recursionGroups()
        let types = module.types.enumerated().map { index, type in
            LLVMConstNamedStruct(typeDescType, [
                wordArray(type.parameters.map(valueTypeWord)), wordArray(type.results.map(valueTypeWord)),
                int32(type.parameters.count), int32(type.results.count),
                trampolines.arrayCall(for: type), trampolines.hostThunk(for: type),
                int32(groups[index].start), int32(groups[index].size),
            ])!
        }
        let imports = module.imports.map(importDescriptor)
        let exports = module.exports.map(exportDescriptor)
        let functions = definedFunctions.enumerated().map { index, function in
            let functionIndex = module.importedFunctionCount + index
            return LLVMConstNamedStruct(funcDescType, [
                function, module.functionNames[UInt32(functionIndex)].map(cString) ?? ir.nullPointer(),
                int32(Int(module.functionTypeIndices[index])), int32(0),
            ])!
        }
        var tables: [LLVMValueRef] = []
        for table in module.tables {
            tables.append(LLVMConstNamedStruct(tableDescType, [
                ir.i32(referenceTypeWord(table.type.elementType)), int32(0), limits(table.type.limits),
                try constExpr(table.initializer ?? []),
            ])!)
        }
        let memories = module.memories.map { limits($0.type) }
        var globals: [LLVMValueRef] = []
        for global in module.globals {
            globals.append(LLVMConstNamedStruct(globalDescType, [
                ir.i32(valueTypeWord(global.type.valueType)), int32(global.type.mutability == .variable ? 1 : 0),
                try constExpr(global.initializer),
            ])!)
        }
        var elements: [LLVMValueRef] = []
        for segment in module.elements { elements.append(try elementDescriptor(segment)) }
        var datas: [LLVMValueRef] = []
        for segment in module.datas { datas.append(try dataDescriptor(segment)) }

        let counts = [types.count, imports.count, exports.count, functions.count, tables.count,
                      memories.count, globals.count, elements.count, datas.count].map(int32)
        let start = module.start.map { int32(Int($0)) } ?? ir.i32(Int32(-1))
        let descriptor = LLVMConstNamedStruct(moduleDescType, [
            ir.i32(ABI.version), ir.i32(cpuFeatures), cString(fingerprint),
        ] + counts + [start] + [
            array(typeDescType, types), array(importDescType, imports), array(exportDescType, exports),
            array(funcDescType, functions), array(tableDescType, tables), array(limitsType, memories),
            array(globalDescType, globals), array(elemDescType, elements), array(dataDescType, datas),
            int32(module.tags.count), int32(0), array(ir.i32, module.tags.map { ir.i32($0.type) }),
        ])!
        let symbol = LLVMAddGlobal(ir.module, moduleDescType, ABI.descriptorSymbol)!
        LLVMSetInitializer(symbol, descriptor)
        LLVMSetGlobalConstant(symbol, 1)
        LLVMSetLinkage(symbol, LLVMExternalLinkage)
        LLVMSetVisibility(symbol, LLVMDefaultVisibility)
    }

    // MARK: Entries

    private func importDescriptor(_ entry: Import) -> LLVMValueRef {
        var kind = KILN_ABI_EXTERN_FUNC.rawValue, typeIndex = 0, valueType = 0, isMutable = 0
        var entryLimits = limits(Limits(min: 0))
        switch entry.descriptor {
        case .function(let index): typeIndex = Int(index)
        case .table(let table):
            kind = KILN_ABI_EXTERN_TABLE.rawValue
            valueType = Int(referenceTypeWord(table.elementType))
            entryLimits = limits(table.limits)
        case .memory(let memory):
            kind = KILN_ABI_EXTERN_MEMORY.rawValue
            entryLimits = limits(memory)
        case .global(let global):
            kind = KILN_ABI_EXTERN_GLOBAL.rawValue
            valueType = Int(valueTypeWord(global.valueType))
            isMutable = global.mutability == .variable ? 1 : 0
        case .tag(let index):
            kind = KILN_ABI_EXTERN_TAG.rawValue
            typeIndex = Int(index)
        }
        return LLVMConstNamedStruct(importDescType, [
            cString(entry.module), cString(entry.name), ir.i32(kind), int32(typeIndex), int32(valueType),
            int32(isMutable), entryLimits,
        ])!
    }

    private func exportDescriptor(_ entry: Export) -> LLVMValueRef {
        let (kind, index): (UInt32, UInt32) = switch entry.descriptor {
        case .function(let index): (KILN_ABI_EXTERN_FUNC.rawValue, index)
        case .table(let index): (KILN_ABI_EXTERN_TABLE.rawValue, index)
        case .memory(let index): (KILN_ABI_EXTERN_MEMORY.rawValue, index)
        case .global(let index): (KILN_ABI_EXTERN_GLOBAL.rawValue, index)
        case .tag(let index): (KILN_ABI_EXTERN_TAG.rawValue, index)
        }
        return LLVMConstNamedStruct(exportDescType, [
            cString(entry.name), ir.i32(kind), ir.i32(index), int32(entry.name.utf8.count), int32(0),
        ])!
    }

    private func elementDescriptor(_ segment: ElementSegment) throws(WasmError) -> LLVMValueRef {
        var mode = KILN_SEGMENT_PASSIVE.rawValue, table: UInt32 = 0
        var offset = try constExpr([])
        switch segment.mode {
        case .active(let index, let offsetExpression):
            (mode, table) = (KILN_SEGMENT_ACTIVE.rawValue, index)
            offset = try constExpr(offsetExpression)
        case .passive: break
        case .declarative: mode = KILN_SEGMENT_DECLARATIVE.rawValue
        }
        var items: [LLVMValueRef] = []
        for item in segment.initializer { items.append(try constExpr(item)) }
        return LLVMConstNamedStruct(elemDescType, [
            ir.i32(mode), ir.i32(table), ir.i32(referenceTypeWord(segment.type)), int32(items.count),
            offset, array(constExprType, items),
        ])!
    }

    private func dataDescriptor(_ segment: DataSegment) throws(WasmError) -> LLVMValueRef {
        switch segment {
        case .passive(let bytes):
            return LLVMConstNamedStruct(dataDescType, [
                ir.i32(KILN_SEGMENT_PASSIVE.rawValue), int32(0), try constExpr([]), byteArray(Array(bytes)), ir.i64(UInt64(bytes.count)),
            ])!
        case .active(let active):
            return LLVMConstNamedStruct(dataDescType, [
                ir.i32(KILN_SEGMENT_ACTIVE.rawValue), ir.i32(active.index), try constExpr(active.offset),
                byteArray(Array(active.initializer)), ir.i64(UInt64(active.initializer.count)),
            ])!
        }
    }

    private func limits(_ limits: Limits) -> LLVMValueRef {
        LLVMConstNamedStruct(limitsType, [
            ir.i64(limits.min), ir.i64(limits.max ?? 0), int32(limits.max == nil ? 0 : 1),
            ir.i32((limits.isMemory64 ? KILN_LIMITS_64.rawValue : 0) | (limits.shared ? KILN_LIMITS_SHARED.rawValue : 0)),
        ])!
    }

    // MARK: Constant expressions

    /// Encodes a constant expression as the runtime's little stack program.
    private func constExpr(_ expression: ConstExpression) throws(WasmError) -> LLVMValueRef {
        var instructions: [LLVMValueRef] = []
        for instruction in expression {
            let (op, index, low, high): (kiln_const_op, UInt32, UInt64, UInt64)
            switch instruction {
            case .end: continue
            case .i32Const(let value): (op, index, low, high) = (KILN_CONST_I32, 0, UInt64(UInt32(bitPattern: value)), 0)
            case .i64Const(let value): (op, index, low, high) = (KILN_CONST_I64, 0, UInt64(bitPattern: value), 0)
            case .f32Const(let value): (op, index, low, high) = (KILN_CONST_F32, 0, UInt64(value.bitPattern), 0)
            case .f64Const(let value): (op, index, low, high) = (KILN_CONST_F64, 0, value.bitPattern, 0)
            case .v128Const(let value):
                let bytes = value.bytes
                let low64 = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
                let high64 = (8..<16).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1 - 8)) }
                (op, index, low, high) = (KILN_CONST_V128, 0, low64, high64)
            case .refNull(let type):
                let code = referenceTypeWord(ReferenceType(isNullable: true, heapType: type)) & KILN_ABI_CODE_MASK
                (op, index, low, high) = (KILN_CONST_REF_NULL, code, 0, 0)
            case .refFunc(let function): (op, index, low, high) = (KILN_CONST_REF_FUNC, function, 0, 0)
            case .globalGet(let global): (op, index, low, high) = (KILN_CONST_GLOBAL_GET, global, 0, 0)
            case .binary(.i32Add): (op, index, low, high) = (KILN_CONST_I32_ADD, 0, 0, 0)
            case .binary(.i32Sub): (op, index, low, high) = (KILN_CONST_I32_SUB, 0, 0, 0)
            case .binary(.i32Mul): (op, index, low, high) = (KILN_CONST_I32_MUL, 0, 0, 0)
            case .binary(.i64Add): (op, index, low, high) = (KILN_CONST_I64_ADD, 0, 0, 0)
            case .binary(.i64Sub): (op, index, low, high) = (KILN_CONST_I64_SUB, 0, 0, 0)
            case .binary(.i64Mul): (op, index, low, high) = (KILN_CONST_I64_MUL, 0, 0, 0)
            default: throw WasmError(.invalid, "constant expression required")
            }
            let bits = LLVMConstArray2(ir.i64, [ir.i64(low), ir.i64(high)], 2)!
            instructions.append(LLVMConstNamedStruct(constInstrType, [ir.i32(op.rawValue), ir.i32(index), bits])!)
        }
        return LLVMConstNamedStruct(constExprType, [array(constInstrType, instructions), int32(instructions.count), int32(0)])!
    }

    // MARK: Constant data

    private func int32(_ value: Int) -> LLVMValueRef { ir.i32(UInt32(truncatingIfNeeded: value)) }

    /// A private constant array; NULL when empty.
    private func array(_ elementType: LLVMTypeRef, _ elements: [LLVMValueRef]) -> LLVMValueRef {
        guard !elements.isEmpty else { return ir.nullPointer() }
        return privateConstant(LLVMConstArray2(elementType, elements, UInt64(elements.count))!)
    }

    private func wordArray(_ words: [UInt32]) -> LLVMValueRef {
        array(ir.i32, words.map { ir.i32($0) })
    }

    /// The recursion group (first type index, size) of every type, from the module's group sizes.
    private func recursionGroups() -> [(start: Int, size: Int)] {
        var groups: [(start: Int, size: Int)] = []
        var start = 0
        for size in module.effectiveTypeGroupSizes {
            for _ in 0..<size { groups.append((start: start, size: size)) }
            start += size
        }
        return groups
    }

    private func byteArray(_ bytes: [UInt8]) -> LLVMValueRef {
        guard !bytes.isEmpty else { return ir.nullPointer() }
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                privateConstant(LLVMConstStringInContext2(ir.context, $0.baseAddress, $0.count, 1)!)
            }
        }
    }

    private func cString(_ string: String) -> LLVMValueRef {
        var bytes = Array(string.utf8)
        bytes.append(0)
        return byteArray(bytes)
    }

    private func privateConstant(_ initializer: LLVMValueRef) -> LLVMValueRef {
        let global = LLVMAddGlobal(ir.module, LLVMTypeOf(initializer), "")!
        LLVMSetInitializer(global, initializer)
        LLVMSetGlobalConstant(global, 1)
        LLVMSetLinkage(global, LLVMPrivateLinkage)
        LLVMSetUnnamedAddress(global, LLVMGlobalUnnamedAddr)
        return global
    }
}

/// Swift-array conveniences for building constants.
func LLVMConstNamedStruct(_ type: LLVMTypeRef, _ values: [LLVMValueRef]) -> LLVMValueRef? {
    var values: [LLVMValueRef?] = values
    return values.withUnsafeMutableBufferPointer { LLVMConstNamedStruct(type, $0.baseAddress, UInt32($0.count)) }
}

func LLVMConstArray2(_ type: LLVMTypeRef, _ values: [LLVMValueRef], _ count: UInt64) -> LLVMValueRef? {
    var values: [LLVMValueRef?] = values
    return values.withUnsafeMutableBufferPointer { LLVMConstArray2(type, $0.baseAddress, count) }
}
