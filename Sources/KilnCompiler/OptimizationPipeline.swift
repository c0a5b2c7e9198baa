import KilnLLVM

/// What each optimisation level runs: the IR pipeline and how machine code is generated.
///
/// -O1 is the fast tier: the passes that matter most for code quality per unit of compile time
/// (locals into SSA registers, redundant loads and arithmetic merged, the control flow tidied)
/// and LLVM's fast instruction selector and register allocator; no inlining, loop or vector
/// work. Measured on graphviz.wasm and three benchmark programs (docs/compile-time.md): 1.2x the
/// compile time of -O0 for code 1.2-2.4x faster; LLVM's optimising code generator would
/// take 4x longer again. -O0 keeps LLVM's own unoptimised pipeline, for
/// debugging. -O2 and -O3 are LLVM's standard pipelines, with inlining bounded by
/// `InliningBudget`, run as the two halves LLVM defines for ThinLTO — simplification (inlining,
/// folding, dead code), then optimisation (vectorising, unrolling) — so that loads can be
/// released from their witnesses in between.
struct OptimizationPipeline {
    /// Pipelines run one after the other; between two, loads whose trap no optimisation can lose
    /// any more give up their witness (LoadWitnessRelease).
    let phases: [String]
    let codeGeneration: CodeGenerationLevel
    /// Whether the pipeline runs the inliner, so that call sites need inlining decisions.
    let inlines: Bool

    init(level: Int) {
        switch level {
        case ...0:
            (phases, codeGeneration, inlines) = (["default<O0>"], .none, false)
        case 1:
            (phases, codeGeneration, inlines) = (["function(sroa,early-cse,simplifycfg)"], .none, false)
        case 2:
            (phases, codeGeneration, inlines) = (Self.simplifyThenOptimize(2), .default, true)
        default:
            (phases, codeGeneration, inlines) = (Self.simplifyThenOptimize(3), .aggressive, true)
        }
    }

    private static func simplifyThenOptimize(_ level: Int) -> [String] {
        ["thinlto-pre-link<O\(level)>", "thinlto<O\(level)>"]
    }
}
