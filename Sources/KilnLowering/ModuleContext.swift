import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// What every function's lowering needs to know about the module being compiled.
final class ModuleContext {
    let module: WasmModule
    /// LLVM functions of the functions the module defines, in definition order.
    let definedFunctions: [LLVMValueRef]
    /// Type of every global, imported ones first.
    let globalTypes: [GlobalType]

    init(module: WasmModule, definedFunctions: [LLVMValueRef]) {
        self.module = module
        self.definedFunctions = definedFunctions
        self.globalTypes = module.allGlobalTypes
    }
}
