/// How much the optimiser may inline, decided while lowering, so that no function grows without
/// bound (DESIGN.md, decision 12).
///
/// LLVM's inliner judges each call site on its own: every small callee is worth inlining, and
/// nothing caps how large one caller becomes. A function that calls thousands of small functions
/// in turn (generated code, or a module written to take a compile service down) becomes one
/// giant function whose code generation is superlinear — 20 minutes and 3.7 GB for 430 KB of
/// Wasm. So each caller gets an allowance of Wasm code bytes that its call sites may inline,
/// proportional to its own size; call sites beyond it, and calls to callees too large to be
/// worth it, are marked `noinline`. LLVM's cost model still decides within the allowance, and it
/// bounds each inlined callee's own size, so a function grows by at most a constant factor.
public struct InliningBudget: Sendable {
    /// False where the pipeline does not inline (the fast tier, -O0): no attributes are needed.
    public let isEnabled: Bool

    /// Callees with bodies larger than this are never inlined. Well above LLVM's own threshold
    /// (about 45 instructions), so that its bonuses (constant arguments, a single block) apply.
    static let largestInlinedCallee = 320

    public init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// Wasm code bytes that the calls of a function of `size` bytes may inline, in all.
    func allowance(forFunctionOfSize size: Int) -> Int { max(2048, 4 * size) }

    /// Callees of other partitions with bodies up to this size are copied into a calling
    /// partition so that they can be inlined there: accessors and wrappers, where inlining
    /// nearly always pays. A copy costs a full optimisation before it is inlined and dropped
    /// (copying callees up to 320 bytes made graphviz.wasm's -O2 compile 1.6x slower).
    static let largestCopiedCallee = 64

    /// Wasm code bytes of copies of other partitions' functions that one partition may lower
    /// for inlining, a sixteenth of its own, so compile time stays linear in the module.
    func copyAllowance(for partition: Partition) -> Int { max(1024, partition.codeSize / 16) }
}
