#if canImport(Glibc)
import Glibc
#endif
import KilnLLVM
import KilnLowering

/// What each optimisation level runs: the IR pipeline and how machine code is generated.
///
/// -O1 is the fast tier: the passes that matter most for code quality per unit of compile time
/// (locals into SSA registers, redundant loads and arithmetic merged, the control flow tidied)
/// and LLVM's fast instruction selector and register allocator; no inlining, loop or vector
/// work. Measured on graphviz.wasm and three benchmark programs (docs/compile-time.md): 1.2x the
/// compile time of -O0 for code 1.2-2.4x faster; LLVM's optimising code generator would
/// take 4x longer again. -O0 keeps LLVM's own unoptimised pipeline, for
/// debugging. -O2 and -O3 are LLVM's standard pipelines, with inlining bounded by
/// `InliningBudget`, cut in two — simplification (inlining, folding, dead code), then
/// optimisation (vectorising, unrolling) — so that loads can be released from their witnesses
/// in between.
struct OptimizationPipeline {
    /// Pipelines run one after the other. At -O2 and -O3 there are three: simplification, the
    /// cleanup of released witnesses, and loop and vector optimisation. Before the cleanup, loads
    /// whose trap no optimisation can lose any more give up their witness (LoadWitnessRelease);
    /// before the loop work, interruptible code's loop checks move out of innermost loops
    /// (InterruptCheckStripMining) and memory loops are versioned (MemoryLoopVersioning), after
    /// the cleanup's instcombine, which would undo the exit tests that versioning puts back into
    /// a form scalar evolution can count.
    let phases: [String]
    /// The index in `phases` of the cleanup and of the loop optimisation.
    static let cleanupPhase = 1, loopOptimizationPhase = 2

    let codeGeneration: CodeGenerationLevel
    /// Whether the pipeline runs the inliner, so that call sites need inlining decisions.
    let inlines: Bool
    /// About how much Wasm code each partition gets: without inlining, how the functions are
    /// split cannot change the code, so the partitions can be smaller (PartitionPlan).
    var partitionCodeSize: Int {
        inlines ? PartitionPlan.targetCodeSize : PartitionPlan.targetCodeSizeWithoutInlining
    }

    /// How loads keep their traps. -O0 and the fast tier run no pass that merges, hoists or sinks
    /// loads to any profit, so their loads are volatile; the witness would cost more than half of
    /// their compile time (graphviz.wasm at -O1: 1.9 s against 1.25 s). Not derived from `inlines`:
    /// the oversized-function pipeline inlines nothing but is lowered with the -O2 module's witness.
    let loadKeeping: LoadKeeping

    /// Whether LLVM's verifier checks the lowered IR before the passes run. It catches bugs in
    /// Kiln's lowering, not bad input (validation has refused that already), so it runs where it
    /// costs little: at -O2 and -O3 (under 1% of their compile time), in debug builds, and under
    /// `KILN_VERIFY_IR=1`, which the test scripts and fuzz campaigns set. -O0 and the fast tier
    /// skip it otherwise: it was 7% of graphviz.wasm's compile at -O1.
    let verifiesIR: Bool

    /// Switches of at most this many cases become compares before the fast code generator runs
    /// (small_switch_lowering.cpp says why); SelectionDAG makes jump tables from four cases up.
    static let smallSwitchCases: UInt32 = 3

    /// Whether any pass asks alias analysis, which is what reads `AliasTags`: -O2 and -O3.
    /// (Early CSE without MemorySSA, -O1's only memory pass, compares pointers and counts
    /// stores; it never asks whether two accesses may alias.)
    var runsAliasAnalysis: Bool { codeGeneration != .none || inlines }

    init(level: Int) {
        switch level {
        case ...0:
            (phases, codeGeneration, inlines, loadKeeping) = (["default<O0>"], .none, false, .volatileLoads)
        case 1:
            (phases, codeGeneration, inlines, loadKeeping) = (
                ["function(\(Self.cfgFirst)early-cse,simplifycfg)"], .none, false, .volatileLoads)
        case 2:
            (phases, codeGeneration, inlines, loadKeeping) = (Self.simplifyThenOptimize(2), .default, true, .witness)
        default:
            (phases, codeGeneration, inlines, loadKeeping) = (Self.simplifyThenOptimize(3), .aggressive, true, .witness)
        }
        verifiesIR = level >= 2 || Self.verificationRequested
    }

    /// Whether the IR is checked once more after Kiln's own rewrites that follow the last pass
    /// (LoadWitnessRetirement, WindowSkipping, ...): in debug builds and under KILN_VERIFY_IR=1,
    /// so that the tests and fuzz campaigns catch a bad rewrite before the code generator does.
    var verifiesFinalIR: Bool { Self.verificationRequested }

    private static let verificationRequested: Bool = {
        #if DEBUG
        return true
        #else
        return getenv("KILN_VERIFY_IR").map { String(cString: $0) == "1" } ?? false
        #endif
    }()

    /// The pipeline for a partition that holds one function over
    /// `PartitionPlan.largestOptimizedFunction` bytes: at -O2 and -O3, the fast tier's passes plus
    /// instcombine, and the fast code generator, whose costs grow linearly with the function
    /// (LLVM's loop passes and optimising code generator do not: 130 s of code generation for a
    /// 500 KB interpreter loop, 2 s with the fast one). The lower levels are linear already.
    func forOversizedFunction() -> OptimizationPipeline {
        guard inlines else { return self }
        return OptimizationPipeline(
            phases: ["function(\(Self.cfgFirst)early-cse,\(Self.instcombine),simplifycfg)"],
            codeGeneration: .none, inlines: false, loadKeeping: loadKeeping, verifiesIR: verifiesIR)
    }

    private init(
        phases: [String], codeGeneration: CodeGenerationLevel, inlines: Bool, loadKeeping: LoadKeeping, verifiesIR: Bool
    ) {
        (self.phases, self.codeGeneration, self.inlines, self.loadKeeping) = (phases, codeGeneration, inlines, loadKeeping)
        self.verifiesIR = verifiesIR
    }

    /// LLVM 19's `default<On>` cut in two where module simplification ends: the ThinLTO pre-link
    /// pipeline is that simplification (inlining, folding, dead code; it differs only in not
    /// duplicating loop headers that a later link-time pass could want), and the rest is what
    /// `opt -passes='default<On>' -print-pipeline-passes` prints from `elim-avail-extern` on
    /// (vectorisation, unrolling, late cleanup), with one pass of Kiln's at the head of its
    /// function passes: GVN where memory-loop versioning scoped fixed places
    /// (scoped_copy_forwarding.cpp). Between the two, instcombine and ADCE clear away
    /// the accumulator phis of released witnesses: left in a loop, they stop the loop vectoriser
    /// (matmul ran 2x slower). Together this costs what `default<On>` costs; ThinLTO's own
    /// post-link half would run the whole simplification a second time.
    private static func simplifyThenOptimize(_ level: Int) -> [String] {
        ["thinlto-pre-link<O\(level)>", "function(\(instcombine),adce)", moduleOptimization(level)]
    }

    private static func moduleOptimization(_ level: Int) -> String {
        // -O3 adds control-height reduction and unrolls more.
        let controlHeightReduction = level >= 3 ? "chr," : ""
        return "elim-avail-extern,rpo-function-attrs,recompute-globalsaa,function<eager-inv>("
            + "float2int,lower-constant-intrinsics,\(controlHeightReduction)"
            + "kiln-scoped-copy-forwarding,"
            + "loop(loop-rotate<header-duplication;no-prepare-for-lto>,loop-deletion),loop-distribute,"
            + "inject-tli-mappings,loop-vectorize<no-interleave-forced-only;no-vectorize-forced-only;>,"
            + "infer-alignment,loop-load-elim,\(instcombine),"
            + "simplifycfg<bonus-inst-threshold=1;forward-switch-cond;switch-range-to-icmp;switch-to-lookup;"
            + "no-keep-loops;hoist-common-insts;sink-common-insts;speculate-blocks;simplify-cond-branch;"
            + "no-speculate-unpredictables>,"
            + "slp-vectorizer,vector-combine,\(instcombine),loop-unroll<O\(level)>,transform-warning,"
            + "sroa<preserve-cfg>,infer-alignment,\(instcombine),loop-mssa(licm<allowspeculation>),"
            + "alignment-from-assumptions,loop-sink,instsimplify,div-rem-pairs,tailcallelim,"
            + "simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;"
            + "keep-loops;no-hoist-common-insts;no-sink-common-insts;speculate-blocks;simplify-cond-branch;"
            + "speculate-unpredictables>),"
            + "globaldce,constmerge,cg-profile,rel-lookup-table-converter"
    }

    /// The fast pipelines start by tidying the control flow, before mem2reg turns locals into
    /// phis: merging a block into its predecessor rewrites the phis of its successors, one scan
    /// of their incoming lists per merge, so merging after mem2reg is quadratic in a loop latch
    /// that thousands of blocks branch to (12 s instead of 0.7 for a 2 MB interpreter loop).
    /// mem2reg rather than SROA: every alloca of lowering is a scalar local that only loads and
    /// stores touch, which mem2reg promotes alike, without SROA's slicing analysis (4% of the
    /// fast tier on graphviz.wasm, the same machine code).
    private static let cfgFirst = "simplifycfg,mem2reg,"

    private static let instcombine = "instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>"
}
