import CLLVM

/// Walks over LLVM IR, which the C API offers only as first/next links, for the passes Kiln runs
/// between LLVM's (LoadWitnessRelease, AddressNoWrap), and over a function just lowered.
enum IRWalk {
    static func functions(of module: LLVMModuleRef) -> [LLVMValueRef] {
        collect(LLVMGetFirstFunction(module), LLVMGetNextFunction)
    }

    static func blocks(of function: LLVMValueRef) -> [LLVMBasicBlockRef] {
        collect(LLVMGetFirstBasicBlock(function), LLVMGetNextBasicBlock)
    }

    static func instructions(of function: LLVMValueRef) -> [LLVMValueRef] {
        blocks(of: function).flatMap(instructions(in:))
    }

    static func instructions(in block: LLVMBasicBlockRef) -> [LLVMValueRef] {
        collect(LLVMGetFirstInstruction(block), LLVMGetNextInstruction)
    }

    static func successors(of block: LLVMBasicBlockRef) -> [LLVMBasicBlockRef] {
        guard let terminator = LLVMGetBasicBlockTerminator(block) else { return [] }
        return (0..<LLVMGetNumSuccessors(terminator)).compactMap { LLVMGetSuccessor(terminator, $0) }
    }

    /// The instructions that use `value` (constant expressions that use it are left out).
    static func instructionUsers(of value: LLVMValueRef) -> [LLVMValueRef] {
        collect(LLVMGetFirstUse(value), LLVMGetNextUse).compactMap { use in
            LLVMGetUser(use).flatMap { LLVMIsAInstruction($0) != nil ? $0 : nil }
        }
    }

    /// A global's name: a function's symbol.
    static func name(of global: LLVMValueRef) -> String {
        var length = 0
        return LLVMGetValueName2(global, &length).map { String(cString: $0) } ?? ""
    }

    /// The IDs of the intrinsics named (without overload suffixes), to compare with
    /// `LLVMGetIntrinsicID` of a callee.
    static func intrinsicIDs(_ names: String...) -> Set<UInt32> {
        Set(names.map { LLVMLookupIntrinsicID($0, $0.utf8.count) })
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
