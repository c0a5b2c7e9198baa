import CLLVM

/// Constants for the passes Kiln runs between LLVM's, which have a module but no lowering's
/// `IRBuilder`.
enum IRConstants {
    /// `scalar` itself for a scalar `type`, or `scalar` in every lane of a vector `type`.
    static func splat(_ scalar: LLVMValueRef, as type: LLVMTypeRef) -> LLVMValueRef {
        guard LLVMGetTypeKind(type) == LLVMVectorTypeKind else { return scalar }
        var lanes = [LLVMValueRef?](repeating: scalar, count: Int(LLVMGetVectorSize(type)))
        return LLVMConstVector(&lanes, UInt32(lanes.count))
    }

    /// The scalar type of `type`: itself, or a vector's element type.
    static func scalarType(of type: LLVMTypeRef) -> LLVMTypeRef {
        LLVMGetTypeKind(type) == LLVMVectorTypeKind ? LLVMGetElementType(type)! : type
    }
}
