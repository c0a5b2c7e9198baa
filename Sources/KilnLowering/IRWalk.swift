import CLLVM

/// Walks over LLVM IR, which the C API offers only as first/next links, for the passes Kiln runs
/// between LLVM's (LoadWitnessRelease, AddressNoWrap).
enum IRWalk {
    static func functions(of module: LLVMModuleRef) -> [LLVMValueRef] {
        collect(LLVMGetFirstFunction(module), LLVMGetNextFunction)
    }

    static func blocks(of function: LLVMValueRef) -> [LLVMBasicBlockRef] {
        collect(LLVMGetFirstBasicBlock(function), LLVMGetNextBasicBlock)
    }

    static func instructions(of function: LLVMValueRef) -> [LLVMValueRef] {
        blocks(of: function).flatMap { collect(LLVMGetFirstInstruction($0), LLVMGetNextInstruction) }
    }

    /// The instructions that use `value` (constant expressions that use it are left out).
    static func instructionUsers(of value: LLVMValueRef) -> [LLVMValueRef] {
        collect(LLVMGetFirstUse(value), LLVMGetNextUse).compactMap { use in
            LLVMGetUser(use).flatMap { LLVMIsAInstruction($0) != nil ? $0 : nil }
        }
    }

    private static func collect<T>(_ first: T?, _ next: (T) -> T?) -> [T] {
        var result: [T] = []
        var current = first
        while let item = current {
            result.append(item)
            current = next(item)
        }
        return result
    }
}
