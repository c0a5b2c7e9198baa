import WasmParser
import WasmTypes

// Constants, comparisons, arithmetic and conversions (including sign extension and the
// non-trapping float-to-int conversions, both part of 2.0).
extension FunctionValidator {
    public mutating func visitI32Const(value: Int32) throws(WasmError) { try push(.i32) }
    public mutating func visitI64Const(value: Int64) throws(WasmError) { try push(.i64) }
    public mutating func visitF32Const(value: IEEE754.Float32) throws(WasmError) { try push(.f32) }
    public mutating func visitF64Const(value: IEEE754.Float64) throws(WasmError) { try push(.f64) }

    public mutating func visitI32Eqz() throws(WasmError) {
        try pop(.i32)
        try push(.i32)
    }

    public mutating func visitI64Eqz() throws(WasmError) {
        try pop(.i64)
        try push(.i32)
    }

    public mutating func visitCmp(_ cmp: Instruction.Cmp) throws(WasmError) {
        let operand: OperandType
        switch cmp {
        case .i32Eq, .i32Ne, .i32LtS, .i32LtU, .i32GtS, .i32GtU, .i32LeS, .i32LeU, .i32GeS, .i32GeU:
            operand = .i32
        case .i64Eq, .i64Ne, .i64LtS, .i64LtU, .i64GtS, .i64GtU, .i64LeS, .i64LeU, .i64GeS, .i64GeU:
            operand = .i64
        case .f32Eq, .f32Ne, .f32Lt, .f32Gt, .f32Le, .f32Ge:
            operand = .f32
        case .f64Eq, .f64Ne, .f64Lt, .f64Gt, .f64Le, .f64Ge:
            operand = .f64
        }
        try pop(operand)
        try pop(operand)
        try push(.i32)
    }

    public mutating func visitUnary(_ unary: Instruction.Unary) throws(WasmError) {
        let type: OperandType
        switch unary {
        case .i32Clz, .i32Ctz, .i32Popcnt, .i32Extend8S, .i32Extend16S:
            type = .i32
        case .i64Clz, .i64Ctz, .i64Popcnt, .i64Extend8S, .i64Extend16S, .i64Extend32S:
            type = .i64
        case .f32Abs, .f32Neg, .f32Ceil, .f32Floor, .f32Trunc, .f32Nearest, .f32Sqrt:
            type = .f32
        case .f64Abs, .f64Neg, .f64Ceil, .f64Floor, .f64Trunc, .f64Nearest, .f64Sqrt:
            type = .f64
        }
        try pop(type)
        try push(type)
    }

    public mutating func visitBinary(_ binary: Instruction.Binary) throws(WasmError) {
        let type: OperandType
        switch binary {
        case .i32Add, .i32Sub, .i32Mul, .i32DivS, .i32DivU, .i32RemS, .i32RemU, .i32And, .i32Or, .i32Xor,
            .i32Shl, .i32ShrS, .i32ShrU, .i32Rotl, .i32Rotr:
            type = .i32
        case .i64Add, .i64Sub, .i64Mul, .i64DivS, .i64DivU, .i64RemS, .i64RemU, .i64And, .i64Or, .i64Xor,
            .i64Shl, .i64ShrS, .i64ShrU, .i64Rotl, .i64Rotr:
            type = .i64
        case .f32Add, .f32Sub, .f32Mul, .f32Div, .f32Min, .f32Max, .f32Copysign:
            type = .f32
        case .f64Add, .f64Sub, .f64Mul, .f64Div, .f64Min, .f64Max, .f64Copysign:
            type = .f64
        }
        try pop(type)
        try pop(type)
        try push(type)
    }

    public mutating func visitConversion(_ conversion: Instruction.Conversion) throws(WasmError) {
        let (from, to) = Self.conversionTypes(conversion)
        try pop(from)
        try push(to)
    }

    static func conversionTypes(_ conversion: Instruction.Conversion) -> (OperandType, OperandType) {
        switch conversion {
        case .i32WrapI64: (.i64, .i32)
        case .i32TruncF32S, .i32TruncF32U, .i32TruncSatF32S, .i32TruncSatF32U, .i32ReinterpretF32: (.f32, .i32)
        case .i32TruncF64S, .i32TruncF64U, .i32TruncSatF64S, .i32TruncSatF64U: (.f64, .i32)
        case .i64ExtendI32S, .i64ExtendI32U: (.i32, .i64)
        case .i64TruncF32S, .i64TruncF32U, .i64TruncSatF32S, .i64TruncSatF32U: (.f32, .i64)
        case .i64TruncF64S, .i64TruncF64U, .i64TruncSatF64S, .i64TruncSatF64U, .i64ReinterpretF64: (.f64, .i64)
        case .f32ConvertI32S, .f32ConvertI32U, .f32ReinterpretI32: (.i32, .f32)
        case .f32ConvertI64S, .f32ConvertI64U: (.i64, .f32)
        case .f32DemoteF64: (.f64, .f32)
        case .f64ConvertI32S, .f64ConvertI32U: (.i32, .f64)
        case .f64ConvertI64S, .f64ConvertI64U, .f64ReinterpretI64: (.i64, .f64)
        case .f64PromoteF32: (.f32, .f64)
        }
    }
}
