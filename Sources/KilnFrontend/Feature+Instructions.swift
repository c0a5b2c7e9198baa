import WasmParser

// Which proposal introduced each instruction WasmParser decodes: the feature column of
// WasmParser's own instruction table (Utilities/Instructions.json in WasmKit), as an exhaustive
// switch, so that a WasmParser with a new instruction does not compile against Kiln until the
// instruction is classified here. FeatureTableTests checks every row of that table against it.
extension Feature {
    /// The proposal that introduced `instruction`; nil for the instructions of WebAssembly 1.0.
    public static func introducing(_ instruction: Instruction) -> Feature? {
        switch instruction {
        case .unreachable, .nop, .block, .loop, .if, .else, .end, .br, .brIf, .brTable, .return, .call,
            .callIndirect, .drop, .select, .localGet, .localSet, .localTee, .globalGet, .globalSet,
            .memorySize, .memoryGrow, .i32Const, .i64Const, .f32Const, .f64Const, .i32Eqz, .i64Eqz, .cmp,
            .binary:
            return nil
        case .load(let load, _): return introducing(load)
        case .store(let store, _): return introducing(store)
        case .unary(let unary): return introducing(unary)
        case .conversion(let conversion): return introducing(conversion)
        case .typedSelect, .refNull, .refIsNull, .refFunc, .tableGet, .tableSet, .tableGrow, .tableSize, .tableFill:
            return .referenceTypes
        case .memoryInit, .dataDrop, .memoryCopy, .memoryFill, .tableInit, .elemDrop, .tableCopy:
            return .bulkMemory
        case .v128Const, .i8x16Shuffle, .simdLane, .simdMemLane:
            return .simd
        case .simd(let simd):
            return isRelaxed(simd) ? .relaxedSimd : .simd
        case .throw, .throwRef, .tryTable:
            return .exceptionHandling
        case .returnCall, .returnCallIndirect:
            return .tailCalls
        // return_call_ref is both; without typed references it cannot even be typed.
        case .callRef, .returnCallRef, .refAsNonNull, .brOnNull, .brOnNonNull:
            return .typedFunctionReferences
        case .atomicFence, .memoryAtomicNotify, .memoryAtomicWait32, .memoryAtomicWait64,
            .i32AtomicRmwAdd, .i64AtomicRmwAdd, .i32AtomicRmw8AddU, .i32AtomicRmw16AddU, .i64AtomicRmw8AddU,
            .i64AtomicRmw16AddU, .i64AtomicRmw32AddU, .i32AtomicRmwSub, .i64AtomicRmwSub, .i32AtomicRmw8SubU,
            .i32AtomicRmw16SubU, .i64AtomicRmw8SubU, .i64AtomicRmw16SubU, .i64AtomicRmw32SubU, .i32AtomicRmwAnd,
            .i64AtomicRmwAnd, .i32AtomicRmw8AndU, .i32AtomicRmw16AndU, .i64AtomicRmw8AndU, .i64AtomicRmw16AndU,
            .i64AtomicRmw32AndU, .i32AtomicRmwOr, .i64AtomicRmwOr, .i32AtomicRmw8OrU, .i32AtomicRmw16OrU,
            .i64AtomicRmw8OrU, .i64AtomicRmw16OrU, .i64AtomicRmw32OrU, .i32AtomicRmwXor, .i64AtomicRmwXor,
            .i32AtomicRmw8XorU, .i32AtomicRmw16XorU, .i64AtomicRmw8XorU, .i64AtomicRmw16XorU, .i64AtomicRmw32XorU,
            .i32AtomicRmwXchg, .i64AtomicRmwXchg, .i32AtomicRmw8XchgU, .i32AtomicRmw16XchgU, .i64AtomicRmw8XchgU,
            .i64AtomicRmw16XchgU, .i64AtomicRmw32XchgU, .i32AtomicRmwCmpxchg, .i64AtomicRmwCmpxchg,
            .i32AtomicRmw8CmpxchgU, .i32AtomicRmw16CmpxchgU, .i64AtomicRmw8CmpxchgU, .i64AtomicRmw16CmpxchgU,
            .i64AtomicRmw32CmpxchgU:
            return .threads
        case .refI31, .i31GetS, .i31GetU, .structNew, .structNewDefault, .structGet, .structGetS, .structGetU,
            .structSet, .arrayNew, .arrayNewDefault, .arrayNewFixed, .arrayGet, .arrayGetS, .arrayGetU, .arraySet,
            .arrayLen, .refEq, .anyConvertExtern, .externConvertAny, .arrayNewData, .arrayNewElem, .arrayFill,
            .arrayCopy, .arrayInitData, .arrayInitElem, .refTest, .refCast, .brOnCast, .brOnCastFail:
            return .gc
        }
    }

    static func introducing(_ load: Instruction.Load) -> Feature? {
        switch load {
        case .i32Load, .i64Load, .f32Load, .f64Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U, .i64Load8S,
            .i64Load8U, .i64Load16S, .i64Load16U, .i64Load32S, .i64Load32U:
            return nil
        case .i32AtomicLoad, .i64AtomicLoad, .i32AtomicLoad8U, .i32AtomicLoad16U, .i64AtomicLoad8U,
            .i64AtomicLoad16U, .i64AtomicLoad32U:
            return .threads
        case .v128Load, .v128Load8X8S, .v128Load8X8U, .v128Load16X4S, .v128Load16X4U, .v128Load32X2S,
            .v128Load32X2U, .v128Load8Splat, .v128Load16Splat, .v128Load32Splat, .v128Load64Splat,
            .v128Load32Zero, .v128Load64Zero:
            return .simd
        }
    }

    static func introducing(_ store: Instruction.Store) -> Feature? {
        switch store {
        case .i32Store, .i64Store, .f32Store, .f64Store, .i32Store8, .i32Store16, .i64Store8, .i64Store16, .i64Store32:
            return nil
        case .i32AtomicStore, .i64AtomicStore, .i32AtomicStore8, .i32AtomicStore16, .i64AtomicStore8,
            .i64AtomicStore16, .i64AtomicStore32:
            return .threads
        case .v128Store:
            return .simd
        }
    }

    private static func introducing(_ unary: Instruction.Unary) -> Feature? {
        switch unary {
        case .i32Extend8S, .i32Extend16S, .i64Extend8S, .i64Extend16S, .i64Extend32S: .signExtension
        default: nil
        }
    }

    private static func introducing(_ conversion: Instruction.Conversion) -> Feature? {
        switch conversion {
        case .i32TruncSatF32S, .i32TruncSatF32U, .i32TruncSatF64S, .i32TruncSatF64U, .i64TruncSatF32S,
            .i64TruncSatF32U, .i64TruncSatF64S, .i64TruncSatF64U:
            .nonTrappingFloatToInt
        default: nil
        }
    }

    /// Relaxed SIMD shares the 0xFD prefix and WasmParser's `Simd` enum with fixed-width SIMD.
    public static func isRelaxed(_ simd: Instruction.Simd) -> Bool {
        switch simd {
        case .i8x16RelaxedSwizzle, .i32x4RelaxedTruncF32X4S, .i32x4RelaxedTruncF32X4U, .i32x4RelaxedTruncF64X2SZero,
            .i32x4RelaxedTruncF64X2UZero, .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd,
            .f64x2RelaxedNmadd, .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect,
            .i64x2RelaxedLaneselect, .f32x4RelaxedMin, .f32x4RelaxedMax, .f64x2RelaxedMin, .f64x2RelaxedMax,
            .i16x8RelaxedQ15MulrS, .i16x8RelaxedDotI8X16I7X16S, .i32x4RelaxedDotI8X16I7X16AddS:
            true
        default: false
        }
    }

    /// Opcodes WasmParser does not decode at all, by the proposal that assigned them: the legacy
    /// (phase 3) exception instructions, which toolchains still emit.
    static func assigning(opcode: UInt8) -> (feature: Feature, name: String)? {
        switch opcode {
        case 0x06: (.legacyExceptionHandling, "try")
        case 0x07: (.legacyExceptionHandling, "catch")
        case 0x09: (.legacyExceptionHandling, "rethrow")
        case 0x18: (.legacyExceptionHandling, "delegate")
        case 0x19: (.legacyExceptionHandling, "catch_all")
        default: nil
        }
    }
}
