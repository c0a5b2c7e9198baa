import CLLVM
import KilnLLVM
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

/// The binary encoding of a value type, which is also the runtime's kiln_abi_valtype code.
func valueTypeCode(_ type: ValueType) -> UInt8 {
    switch type {
    case .i32: 0x7F
    case .i64: 0x7E
    case .f32: 0x7D
    case .f64: 0x7C
    case .v128: 0x7B
    case .ref(let reference): referenceTypeCode(reference)
    }
}

func referenceTypeCode(_ type: ReferenceType) -> UInt8 {
    switch type.heapType {
    case .abstract(.externRef): 0x6F
    case .abstract(.exnRef): 0x69
    default: 0x70
    }
}
