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
/// `InliningBudget`.
struct OptimizationPipeline {
    let passes: String
    let codeGeneration: CodeGenerationLevel
    /// Whether the pipeline runs the inliner, so that call sites need inlining decisions.
    let inlines: Bool

    init(level: Int) {
        switch level {
        case ...0:
            (passes, codeGeneration, inlines) = ("default<O0>", .none, false)
        case 1:
            (passes, codeGeneration, inlines) = ("function(sroa,early-cse,simplifycfg)", .none, false)
        case 2:
            (passes, codeGeneration, inlines) = ("default<O2>", .default, true)
        default:
            (passes, codeGeneration, inlines) = ("default<O3>", .aggressive, true)
        }
    }
}
