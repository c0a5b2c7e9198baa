import CLLVM
import KilnLLVM
import WasmParser

/// A v128 interpretation. Wasm values of type v128 travel as <2 x i64>; each SIMD instruction
/// bitcasts to the shape it works on (free in registers) and back.
enum SimdShape {
    case i8x16, i16x8, i32x4, i64x2, f32x4, f64x2

    var laneCount: UInt32 {
        switch self {
        case .i8x16: 16
        case .i16x8: 8
        case .i32x4, .f32x4: 4
        case .i64x2, .f64x2: 2
        }
    }

    var laneBits: UInt32 { 128 / laneCount }
    var isFloat: Bool { self == .f32x4 || self == .f64x2 }

    /// The integer shape with lanes twice as wide (for extending operations).
    var widened: SimdShape {
        switch self {
        case .i8x16: .i16x8
        case .i16x8: .i32x4
        case .i32x4: .i64x2
        default: preconditionFailure("no wider integer shape than \(self)")
        }
    }
}

/// Shape conversions, constants, lanes and shuffles: the pieces every SIMD family (and the
/// memory lowering's lane loads and stores) builds on.
extension NumericLowering {
    func laneType(_ shape: SimdShape) -> LLVMTypeRef {
        switch shape {
        case .i8x16: ir.i8
        case .i16x8: ir.i16
        case .i32x4: ir.i32
        case .i64x2: ir.i64
        case .f32x4: ir.f32
        case .f64x2: ir.f64
        }
    }

    func vectorType(_ shape: SimdShape) -> LLVMTypeRef { ir.vector(laneType(shape), shape.laneCount) }

    /// A v128 (<2 x i64>) seen as `shape`.
    func view(_ value: LLVMValueRef, as shape: SimdShape) -> LLVMValueRef {
        LLVMBuildBitCast(builder, value, vectorType(shape), "")
    }

    /// Any 128-bit vector back to the canonical v128 type.
    func asV128(_ value: LLVMValueRef) -> LLVMValueRef {
        LLVMBuildBitCast(builder, value, ir.v128, "")
    }

    /// `v128.const`; pass `V128.bytes` (little-endian lane order, as in the binary format).
    func v128Const(_ bytes: [UInt8]) -> LLVMValueRef {
        precondition(bytes.count == 16, "v128.const needs 16 bytes")
        var words: [UInt64] = [0, 0]
        for (index, byte) in bytes.enumerated() { words[index / 8] |= UInt64(byte) << UInt64(index % 8 * 8) }
        return constantVector([ir.i64(words[0]), ir.i64(words[1])])
    }

    /// A constant vector of the given constant elements.
    func constantVector(_ elements: [LLVMValueRef]) -> LLVMValueRef {
        var elements: [LLVMValueRef?] = elements
        return elements.withUnsafeMutableBufferPointer { LLVMConstVector($0.baseAddress, UInt32($0.count)) }
    }

    /// `shufflevector a, b, mask`; mask indices < n pick from a, n..<2n from b.
    func shuffle(_ a: LLVMValueRef, _ b: LLVMValueRef, _ mask: [UInt32]) -> LLVMValueRef {
        LLVMBuildShuffleVector(builder, a, b, constantVector(mask.map { ir.i32($0) }), "")
    }

    /// `i8x16.shuffle`; pass `V128ShuffleMask.lanes` (validation has checked each is < 32).
    func i8x16Shuffle(_ lanes: [UInt8], _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        asV128(shuffle(view(a, as: .i8x16), view(b, as: .i8x16), lanes.map(UInt32.init)))
    }

    /// `*.splat`: the scalar (i32 for i8x16 and i16x8, which take its low bits) in every lane.
    func splat(_ scalar: LLVMValueRef, as shape: SimdShape) -> LLVMValueRef {
        asV128(splatVector(laneValue(scalar, shape), count: shape.laneCount))
    }

    /// A vector of `count` copies of `scalar`, of the scalar's type.
    func splatVector(_ scalar: LLVMValueRef, count: UInt32) -> LLVMValueRef {
        let type = ir.vector(LLVMTypeOf(scalar), count)
        let single = LLVMBuildInsertElement(builder, LLVMGetPoison(type), scalar, ir.i32(UInt32(0)), "")!
        return shuffle(single, LLVMGetPoison(type), Array(repeating: 0, count: Int(count)))
    }

    /// `extract_lane`: i8/i16 lanes widen to i32 (sign- or zero-extended as `signed` says).
    func extractLane(_ vector: LLVMValueRef, _ shape: SimdShape, lane: UInt8, signed: Bool = false) -> LLVMValueRef {
        let value = LLVMBuildExtractElement(builder, view(vector, as: shape), ir.i32(UInt32(lane)), "")!
        guard shape == .i8x16 || shape == .i16x8 else { return value }
        return signed ? LLVMBuildSExt(builder, value, ir.i32, "") : LLVMBuildZExt(builder, value, ir.i32, "")
    }

    /// `replace_lane`: i8/i16 lanes take the low bits of an i32.
    func replaceLane(_ vector: LLVMValueRef, _ shape: SimdShape, lane: UInt8, _ scalar: LLVMValueRef) -> LLVMValueRef {
        asV128(LLVMBuildInsertElement(builder, view(vector, as: shape), laneValue(scalar, shape), ir.i32(UInt32(lane)), ""))
    }

    /// A Wasm scalar operand as a lane of `shape` (i32 narrowed for 8- and 16-bit lanes).
    private func laneValue(_ scalar: LLVMValueRef, _ shape: SimdShape) -> LLVMValueRef {
        shape == .i8x16 || shape == .i16x8 ? LLVMBuildTrunc(builder, scalar, laneType(shape), "") : scalar
    }

    /// `i8x16.swizzle`: lane i of the result is a[s[i]] if s[i] < 16, else 0.
    ///
    /// Written as extracts with variable indices into a build vector, the form LLVM's x86 backend
    /// turns into one pshufb when SSSE3 is available (and scalarises otherwise, so portable
    /// `--cpu generic` code stays correct). Indices are masked to 0...15 so each extract is
    /// defined; out-of-range lanes are then zeroed by a vector select.
    func i8x16Swizzle(_ a: LLVMValueRef, _ s: LLVMValueRef) -> LLVMValueRef {
        let source = view(a, as: .i8x16), selectors = view(s, as: .i8x16)
        let inRangeIndices = LLVMBuildAnd(builder, selectors, constant(vectorType(.i8x16), 15), "")!
        var gathered = LLVMGetPoison(vectorType(.i8x16))!
        for lane in 0..<UInt32(16) {
            let index = LLVMBuildExtractElement(builder, inRangeIndices, ir.i32(lane), "")
            let byte = LLVMBuildExtractElement(builder, source, index, "")
            gathered = LLVMBuildInsertElement(builder, gathered, byte, ir.i32(lane), "")
        }
        let inRange = LLVMBuildICmp(builder, LLVMIntULT, selectors, constant(vectorType(.i8x16), 16), "")
        return asV128(LLVMBuildSelect(builder, inRange, gathered, ir.zero(vectorType(.i8x16)), ""))
    }

    func simdLane(_ op: Instruction.SimdLane, lane: UInt8, _ operands: [LLVMValueRef]) -> LLVMValueRef {
        switch op {
        case .i8x16ExtractLaneS: extractLane(operands[0], .i8x16, lane: lane, signed: true)
        case .i8x16ExtractLaneU: extractLane(operands[0], .i8x16, lane: lane)
        case .i16x8ExtractLaneS: extractLane(operands[0], .i16x8, lane: lane, signed: true)
        case .i16x8ExtractLaneU: extractLane(operands[0], .i16x8, lane: lane)
        case .i32x4ExtractLane: extractLane(operands[0], .i32x4, lane: lane)
        case .i64x2ExtractLane: extractLane(operands[0], .i64x2, lane: lane)
        case .f32x4ExtractLane: extractLane(operands[0], .f32x4, lane: lane)
        case .f64x2ExtractLane: extractLane(operands[0], .f64x2, lane: lane)
        case .i8x16ReplaceLane: replaceLane(operands[0], .i8x16, lane: lane, operands[1])
        case .i16x8ReplaceLane: replaceLane(operands[0], .i16x8, lane: lane, operands[1])
        case .i32x4ReplaceLane: replaceLane(operands[0], .i32x4, lane: lane, operands[1])
        case .i64x2ReplaceLane: replaceLane(operands[0], .i64x2, lane: lane, operands[1])
        case .f32x4ReplaceLane: replaceLane(operands[0], .f32x4, lane: lane, operands[1])
        case .f64x2ReplaceLane: replaceLane(operands[0], .f64x2, lane: lane, operands[1])
        }
    }
}
