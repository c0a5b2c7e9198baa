import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// Constants, locals, globals, drop and select.
extension FunctionLowering {
    mutating func visitI32Const(value: Int32) throws(WasmError) {
        try validator.visitI32Const(value: value)
        if isReachable { push(ir.i32(value)) }
    }

    mutating func visitI64Const(value: Int64) throws(WasmError) {
        try validator.visitI64Const(value: value)
        if isReachable { push(ir.i64(value)) }
    }

    mutating func visitF32Const(value: IEEE754.Float32) throws(WasmError) {
        try validator.visitF32Const(value: value)
        if isReachable { push(ir.f32(bits: value.bitPattern)) }
    }

    mutating func visitF64Const(value: IEEE754.Float64) throws(WasmError) {
        try validator.visitF64Const(value: value)
        if isReachable { push(ir.f64(bits: value.bitPattern)) }
    }

    mutating func visitLocalGet(localIndex: UInt32) throws(WasmError) {
        try validator.visitLocalGet(localIndex: localIndex)
        guard isReachable else { return }
        let index = Int(localIndex)
        push(LLVMBuildLoad2(ir.builder, localTypes[index], localSlots[index], "")!)
    }

    mutating func visitLocalSet(localIndex: UInt32) throws(WasmError) {
        try validator.visitLocalSet(localIndex: localIndex)
        guard isReachable else { return }
        LLVMBuildStore(ir.builder, pop(), localSlots[Int(localIndex)])
    }

    mutating func visitLocalTee(localIndex: UInt32) throws(WasmError) {
        try validator.visitLocalTee(localIndex: localIndex)
        guard isReachable else { return }
        LLVMBuildStore(ir.builder, stack[stack.count - 1], localSlots[Int(localIndex)])
    }

    mutating func visitGlobalGet(globalIndex: UInt32) throws(WasmError) {
        try validator.visitGlobalGet(globalIndex: globalIndex)
        guard isReachable else { return }
        let globalType = context.globalTypes[Int(globalIndex)]
        let cell = globalCell(globalIndex)
        // An immutable global never changes after instantiation.
        push(vm.loadField(cell, 0, ir.type(of: globalType.valueType), invariant: globalType.mutability == .constant))
    }

    mutating func visitGlobalSet(globalIndex: UInt32) throws(WasmError) {
        try validator.visitGlobalSet(globalIndex: globalIndex)
        guard isReachable else { return }
        let cell = globalCell(globalIndex)
        vm.aliasTags.tag(LLVMBuildStore(ir.builder, pop(), cell)!, .runtimeData)
    }

    /// The value cell of a global: at a constant offset from the context pointer for one of the
    /// first globals the module defines (kiln_abi.h, KILN_INLINE_GLOBALS), which is what makes
    /// clang's __stack_pointer one load away; through vmctx->globals for the others and imports.
    private func globalCell(_ globalIndex: UInt32) -> LLVMValueRef {
        let defined = Int(globalIndex) - context.module.importedGlobalCount
        if defined >= 0 && defined < Int(ABI.VMContext.inlineGlobals) {
            return vm.fieldAddress(vm.vmContext, ABI.VMContext.inlineGlobalCell(UInt32(defined)))
        }
        return vm.arrayElement(ABI.VMContext.globals, globalIndex)
    }

    mutating func visitDrop() throws(WasmError) {
        try validator.visitDrop()
        if isReachable { _ = pop() }
    }

    mutating func visitSelect() throws(WasmError) {
        try validator.visitSelect()
        if isReachable { lowerSelect() }
    }

    mutating func visitTypedSelect(type: ValueType) throws(WasmError) {
        try validator.visitTypedSelect(type: type)
        if isReachable { lowerSelect() }
    }

    private mutating func lowerSelect() {
        let condition = pop()
        let second = pop()
        let first = pop()
        push(LLVMBuildSelect(ir.builder, isNonZero(condition), first, second, "")!)
    }
}
