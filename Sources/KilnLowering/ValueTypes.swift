import CLLVM
import KilnLLVM
import KilnRuntimeC
import WasmParser
import WasmTypes

/// How Wasm types are represented in LLVM IR (kiln_abi.h, "Wasm convention"; the convention
/// itself is WasmCallingConvention).
extension IRBuilder {
    func type(of valueType: ValueType) -> LLVMTypeRef {
        switch valueType {
        case .i32: i32
        case .i64: i64
        case .f32: f32
        case .f64: f64
        case .v128: v128
        case .ref: ptr
        }
    }
}

/// A value type as the descriptor encodes it, a kiln_abi_typeword (kiln_abi.h): the binary code
/// of a number or vector type, or for a reference the code of its hierarchy's top (funcref,
/// externref, exnref) with flags for non-null and for a concrete function type, whose module type
/// index goes in the upper bits. Without flags the word is the code itself, as in 2.0.
func valueTypeWord(_ type: ValueType) -> UInt32 {
    switch type {
    case .i32: UInt32(KILN_ABI_I32.rawValue)
    case .i64: UInt32(KILN_ABI_I64.rawValue)
    case .f32: UInt32(KILN_ABI_F32.rawValue)
    case .f64: UInt32(KILN_ABI_F64.rawValue)
    case .v128: UInt32(KILN_ABI_V128.rawValue)
    case .ref(let reference): referenceTypeWord(reference)
    }
}

func referenceTypeWord(_ type: ReferenceType) -> UInt32 {
    var word: UInt32
    switch type.heapType {
    case .abstract(.externRef), .abstract(.noExtern): word = UInt32(KILN_ABI_EXTERNREF.rawValue)
    case .abstract(.exnRef), .abstract(.noExn): word = UInt32(KILN_ABI_EXNREF.rawValue)
    case .concrete(let index):
        // A valid index is below the type count, which DescriptorEmitter keeps within the bits.
        word = UInt32(KILN_ABI_FUNCREF.rawValue) | KILN_ABI_REF_CONCRETE | index << KILN_ABI_TYPE_INDEX_SHIFT
    default: word = UInt32(KILN_ABI_FUNCREF.rawValue)
    }
    if !type.isNullable { word |= KILN_ABI_REF_NON_NULL }
    return word
}
