import CLLVM
import KilnLLVM

/// Keeps every linear-memory load alive and ahead of any later trap, while leaving it an ordinary
/// load that LLVM may vectorise, hoist and merge.
///
/// A 32-bit memory has no bounds checks: an out-of-bounds load traps because it faults in the guard
/// region (DESIGN.md, decision 3). LLVM, however, treats such a load as undefined behaviour, not as
/// a trap, so it deletes a load whose value ends up unused (`x * 0`, a `select` it can decide, a
/// value discarded by `br`, `return` or `drop`, a callee's result ignored after inlining) and
/// sinks a load past a conditional trap (divide by zero) whose path does not use the value. Either
/// way the program's first trap changes or disappears.
///
/// So every loaded value is also added into a per-function accumulator (one per access width, so
/// nothing needs extending), and the accumulators are added into a module-level cell
/// on every way out of the function: before each `ret`, each trap's runtime call and each call
/// (a callee may trap or never return). The cell is not local to the module, so LLVM must assume
/// the runtime (or anyone) reads it: every load's value is therefore used on every path that
/// leaves the function, whatever the optimiser proves about its other uses, and no load can be
/// sunk past a trap or a call. Stores cannot move past traps or calls either. The accumulators are
/// SSA values after mem2reg; in a loop each is an add reduction, which the vectoriser handles.
/// The witness lives only through LLVM's IR passes: loads that provably no longer need it give it
/// up in between (LoadWitnessRelease), and after the last pass the rest are handed to uses the
/// code generator cannot remove (LoadWitnessRetirement), so no machine code is spent on it.
///
/// Addition, not xor: two loads of one address give one value once LLVM merges them, and
/// `x ^ x` folds to zero, which took both loads, and the trap, away (smith seed 100000309965);
/// `x + x` is still `x << 1`, so the sum keeps depending on every load.
///
/// That machinery is what lets -O2 and -O3 keep loads ordinary. The fast tier and -O0 have no
/// use for it: their passes (SROA, early CSE, CFG simplification) gain little from merging loads,
/// and the accumulators' phis and the folds at every call and trap cost them more than half of
/// their compile time. There each load is volatile instead (`LoadKeeping.volatileLoads`): LLVM
/// never deletes, merges or reorders a volatile load, and code generation emits it in place.
struct LoadWitness {
    private let ir: IRBuilder
    private let aliasTags: AliasTags
    /// The accumulators' allocas, by bit width: 8, 16, 32, 64, 128; empty with volatile loads.
    private let slots: [UInt32: LLVMValueRef]
    private let observations = Observations()
    /// The accumulators a load has been folded into so far, by width.
    private final class Observations { var widths: Set<UInt32> = [] }

    static let symbol = "kiln_load_witness"
    static let widths: [UInt32] = [8, 16, 32, 64, 128]

    /// Creates the accumulators, zeroed, at the builder's position (the function's entry block).
    init(ir: IRBuilder, keeping: LoadKeeping, aliasTags: AliasTags) {
        self.ir = ir
        self.aliasTags = aliasTags
        var slots: [UInt32: LLVMValueRef] = [:]
        for width in Self.widths where keeping == .witness {
            let slot = LLVMBuildAlloca(ir.builder, Self.type(width, ir), "load.witness\(width)")!
            LLVMBuildStore(ir.builder, ir.zero(Self.type(width, ir)), slot)
            slots[width] = slot
        }
        self.slots = slots
    }

    /// Folds the bits of `value` (a loaded scalar or vector of up to 128 bits) into its accumulator.
    func observe(_ value: LLVMValueRef) {
        let b = ir.builder
        let width = UInt32(Self.bitWidth(of: LLVMTypeOf(value)))
        observations.widths.insert(width)
        guard let slot = slots[width] else { return LLVMSetVolatile(value, 1) }
        let type = Self.type(width, ir)
        let bits = LLVMTypeOf(value) == type ? value : LLVMBuildBitCast(b, value, type, "")!
        LLVMBuildStore(b, LLVMBuildAdd(b, LLVMBuildLoad2(b, type, slot, "")!, bits, "")!, slot)
    }

    /// Folds the accumulators into the module's cell and restarts them. Emitted before every way
    /// out of the function: a return, a trap, and a call (which may trap, or never return).
    func publish() {
        guard !slots.isEmpty else { return }
        let b = ir.builder
        for width in Self.widths {
            let type = Self.type(width, ir)
            let accumulated = LLVMBuildLoad2(b, type, slots[width]!, "")!
            LLVMBuildStore(b, ir.zero(type), slots[width]!)
            for access in Self.addIntoCell(accumulated, width: width, cell: Self.cell(ir), b) {
                aliasTags.tag(access, .loadWitness)
            }
        }
    }

    /// `cell[its place for width] += value`, the read-modify-write every publish is made of;
    /// the cell's load and store, for the caller to tag (or make volatile: LoopWitnessKeeper).
    static func addIntoCell(_ value: LLVMValueRef, width: UInt32, cell: LLVMValueRef, _ builder: LLVMBuilderRef) -> [LLVMValueRef] {
        let context = LLVMGetTypeContext(LLVMTypeOf(value))
        var offset = LLVMConstInt(LLVMInt64TypeInContext(context), UInt64(width == 128 ? 16 : width / 8), 0)
        let place = LLVMBuildGEP2(builder, LLVMInt8TypeInContext(context), cell, &offset, 1, "")!
        let previous = LLVMBuildLoad2(builder, LLVMTypeOf(value), place, "")!
        return [previous, LLVMBuildStore(builder, LLVMBuildAdd(builder, previous, value, "")!, place)!]
    }

    /// Uses the accumulators at the top of a loop's header through `LoopWitnessKeeper`'s call,
    /// so that they stay live round the loop even if it never leaves: a loop with no way out has
    /// no return, trap or call to publish them at, and without a use they, and the loads whose
    /// values they hold, would be deleted. That is every accumulator a load has fed so far: one
    /// fed before the loop and not yet published (`(i32.load ..) (loop (br 0))` never publishes
    /// it) as much as one the body feeds; where LLVM finds one zero at the header, the keeper
    /// gets a zero. One i64 sum of them is kept, so the call is as small as it can be for the
    /// inliner's cost model. (At the top of the header rather than in the latch, which LLVM
    /// merges away when it is empty, so loops keep the shape they had.) Emitted once the body
    /// is lowered; the builder is left inside the header.
    func keepRoundLoop(headedBy header: LLVMBasicBlockRef) {
        let widths = Self.widths.filter(observations.widths.contains)
        guard !slots.isEmpty, !widths.isEmpty else { return }
        var first = LLVMGetFirstInstruction(header)
        while let instruction = first, LLVMIsAPHINode(instruction) != nil { first = LLVMGetNextInstruction(instruction) }
        LLVMPositionBuilderBefore(ir.builder, first!)
        _ = Self.cell(ir)  // The keeper may become a publish, which needs the cell.
        let b = ir.builder
        var sum: LLVMValueRef?
        for width in widths {
            let accumulated = LLVMBuildLoad2(b, Self.type(width, ir), slots[width]!, "")!
            let terms = width == 128
                ? (0..<2).map { LLVMBuildExtractElement(b, accumulated, ir.i32(UInt32($0)), "")! }
                : [width == 64 ? accumulated : LLVMBuildZExt(b, accumulated, ir.i64, "")!]
            for term in terms { sum = sum.map { LLVMBuildAdd(b, $0, term, "")! } ?? term }
        }
        LoopWitnessKeeper.emitCall(keeping: sum!, ir)
    }

    /// Offsets 1, 2, 4, 8 and 16 by width, so no two accumulators share bytes. Weak (one per shared
    /// object, whichever compilation unit defines it) and hidden; not local, so LLVM cannot prove
    /// nobody reads it and drop the stores.
    private static func cell(_ ir: IRBuilder) -> LLVMValueRef {
        if let existing = LLVMGetNamedGlobal(ir.module, symbol) { return existing }
        let type = LLVMArrayType2(ir.i8, 32)!
        let global = LLVMAddGlobal(ir.module, type, symbol)!
        LLVMSetInitializer(global, LLVMConstNull(type))
        LLVMSetLinkage(global, LLVMWeakAnyLinkage)
        LLVMSetVisibility(global, LLVMHiddenVisibility)
        LLVMSetAlignment(global, 64)
        return global
    }

    /// Whether `pointer` is the cell or a constant offset into it.
    static func isInCell(_ pointer: LLVMValueRef?, _ cell: LLVMValueRef) -> Bool {
        var current = pointer
        while let value = current, value != cell {
            guard LLVMIsAConstantExpr(value) != nil || LLVMIsAGetElementPtrInst(value) != nil else { return false }
            current = LLVMGetOperand(value, 0)
        }
        return current == cell
    }

    private static func type(_ width: UInt32, _ ir: IRBuilder) -> LLVMTypeRef {
        width == 128 ? ir.v128 : LLVMIntTypeInContext(ir.context, width)!
    }

    /// The bits of a loaded Wasm value: an integer, a float or a vector of them (a pointer counts
    /// as 64 bits).
    static func bitWidth(of type: LLVMTypeRef) -> Int {
        switch LLVMGetTypeKind(type) {
        case LLVMFloatTypeKind: 32
        case LLVMDoubleTypeKind: 64
        case LLVMIntegerTypeKind: Int(LLVMGetIntTypeWidth(type))
        case LLVMVectorTypeKind: Int(LLVMGetVectorSize(type)) * bitWidth(of: LLVMGetElementType(type))
        default: 64
        }
    }
}

/// How a function's loads are kept, and with them their traps (LoadWitness).
public enum LoadKeeping: Sendable {
    /// Ordinary loads, each folded into the function's witness: for pipelines that may delete,
    /// merge, hoist or sink loads.
    case witness
    /// Volatile loads: for pipelines whose passes need no freedom to move or merge them.
    case volatileLoads
}

extension LoadWitness {
    /// What a function's witness has become after LLVM's passes: its stores into the cell (the
    /// sinks), and the instructions whose every use ends, through plumbing, in a sink — the
    /// greatest such set, found by discarding any candidate with a use outside it.
    struct Plumbing {
        /// Opcodes of the witness' own plumbing: add chains (and what InstCombine makes of them:
        /// `x + x` becomes a shift, an add of disjoint bits an or), phis, casts and lane moves.
        private static let opcodes: Set<LLVMOpcode> = [
            LLVMAdd, LLVMShl, LLVMOr, LLVMXor, LLVMPHI, LLVMBitCast, LLVMShuffleVector, LLVMExtractElement, LLVMInsertElement,
            LLVMSelect, LLVMFreeze, LLVMZExt, LLVMTrunc, LLVMLoad,
        ]

        let sinks: Set<LLVMValueRef>
        let instructions: Set<LLVMValueRef>

        init(of instructions: [LLVMValueRef], cell: LLVMValueRef) {
            let sinks = Set(instructions.filter { LLVMIsAStoreInst($0) != nil && isInCell(LLVMGetOperand($0, 1), cell) })
            self.sinks = sinks
            guard !sinks.isEmpty else {
                self.instructions = []
                return
            }
            var set = Set(instructions.filter { instruction in
                guard Self.opcodes.contains(LLVMGetInstructionOpcode(instruction)) else { return false }
                // The only loads in the witness' plumbing are reads of the cell itself.
                return LLVMIsALoadInst(instruction) == nil || isInCell(LLVMGetOperand(instruction, 0), cell)
            })
            var changed = true
            while changed {
                changed = false
                for instruction in set where IRWalk.instructionUsers(of: instruction).contains(where: { !set.contains($0) && !sinks.contains($0) }) {
                    set.remove(instruction)
                    changed = true
                }
            }
            self.instructions = set
        }
    }
}
