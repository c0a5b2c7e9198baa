import KilnFrontend

/// A slice of a module that is lowered, optimised and emitted as one LLVM module, in its own LLVM
/// context, independently of every other slice; the objects of all partitions are linked into
/// the one shared object (DESIGN.md, decision 12).
///
/// A partition owns a contiguous range of the defined functions: toolchains lay out functions
/// by translation unit, so neighbours tend to call each other, and a contiguous range keeps
/// most callers with their callees (and so inlining) without a call-graph analysis. Partition 0
/// also carries the per-signature trampolines and the descriptor; they come first in its
/// object, and its object comes first in the link, so that they precede every Wasm function
/// (the runtime names a trap's frames by the nearest function start below each address).
public struct Partition: Sendable, Hashable {
    public let index: Int
    /// Defined-function indices (not counting imports) whose code this partition emits.
    public let functions: Range<Int>
    /// The Wasm code bytes of those functions: the measure of its work.
    public let codeSize: Int

    /// Whether the partition is one function too large for the full optimising pipeline
    /// (`PartitionPlan.largestOptimizedFunction`), which the compiler gives a bounded one.
    public let holdsOversizedFunction: Bool

    public var carriesModuleData: Bool { index == 0 }
}

/// Splits a module into partitions, deterministically: the plan depends on the module's bytes
/// alone, never on how many threads will compile it, so every `-j` gives the same objects and so
/// the same shared object.
public enum PartitionPlan {
    /// About this much Wasm code per partition. Large enough that small modules (every spec test,
    /// most benchmark programs) stay in one partition and compile exactly as a whole module
    /// would; small enough that a 1 MB module gives a dozen partitions to balance over the cores,
    /// and that peak memory follows the partition, not the module.
    public static let targetCodeSize = 96 * 1024
    /// The same for pipelines that do not inline (-O0, -O1), whose code is the same however the
    /// functions are split: smaller partitions let a module of a few hundred KB use every core,
    /// and the last partition to finish is shorter (graphviz.wasm, qjs-wasi-reactor and
    /// nextpnr-gowin 4-7% less wall time at -O1 -j2 than with 96 KB; docs/compile-time.md).
    public static let targetCodeSizeWithoutInlining = 32 * 1024

    /// A module with more than two thirds of a partition's code, but not more than one, is cut into
    /// two halves, so that a module of a hundred KB does not keep one core busy while the other
    /// idles: the generated modules of issue 9's shapes at 0.1 MB took twice their per-MB time at
    /// 2 MB (docs/compile-time.md, Kiln 0.5.27). At -O2 that is from 64 KB, above every benchmark
    /// program (the largest has 51 KB of code), which stays whole.
    public static func isCutInHalves(totalCode: Int, targetCodeSize: Int) -> Bool {
        totalCode > targetCodeSize / 3 * 2 && totalCode <= targetCodeSize
    }

    /// Functions with bodies larger than this are compiled alone, by a pipeline whose cost grows
    /// linearly with the function (DESIGN.md, decision 12). LLVM's optimising code generator and
    /// several of its loop passes are superlinear in the size of one function: a 100 KB
    /// interpreter loop takes 5 s in code generation, a 500 KB one 130 s. No function of the
    /// large real programs measured comes near (CPython's largest is 186 KB, yosys's 223 KB), so
    /// they keep the full pipeline; generated or hostile code does not take a compile down.
    public static let largestOptimizedFunction = 256 * 1024

    public static func partitions(
        of module: WasmModule, targetCodeSize: Int = targetCodeSize,
        largestOptimizedFunction: Int = largestOptimizedFunction
    ) -> [Partition] {
        let totalCode = module.codes.reduce(0) { $0 + $1.expression.count }
        if isCutInHalves(totalCode: totalCode, targetCodeSize: targetCodeSize), module.codes.count > 1,
           module.codes.allSatisfy({ $0.expression.count <= largestOptimizedFunction }) {
            return halves(of: module, totalCode: totalCode)
        }
        var partitions: [Partition] = []
        var start = 0
        var size = 0
        func close(at end: Int, oversized: Bool = false) {
            partitions.append(Partition(
                index: partitions.count, functions: start..<end, codeSize: size, holdsOversizedFunction: oversized))
            start = end
            size = 0
        }
        for (index, code) in module.codes.enumerated() {
            let bodySize = code.expression.count
            // A function never straddles partitions; a huge one gets a partition of its own.
            if size > 0 && (size + bodySize > targetCodeSize || bodySize > largestOptimizedFunction) { close(at: index) }
            size += bodySize
            if bodySize > largestOptimizedFunction { close(at: index + 1, oversized: true) }
        }
        if start < module.codes.count || partitions.isEmpty { close(at: module.codes.count) }
        return partitions
    }

    /// Two partitions, cut where the code before the cut is closest to half of it.
    private static func halves(of module: WasmModule, totalCode: Int) -> [Partition] {
        var (cut, before) = (0, 0)
        for code in module.codes.dropLast() {
            let size = code.expression.count
            // Taking this function makes the first half no closer to half of the code: cut here.
            if cut > 0 && abs(2 * (before + size) - totalCode) >= abs(2 * before - totalCode) { break }
            (cut, before) = (cut + 1, before + size)
        }
        return [
            Partition(index: 0, functions: 0..<cut, codeSize: before, holdsOversizedFunction: false),
            Partition(index: 1, functions: cut..<module.codes.count, codeSize: totalCode - before, holdsOversizedFunction: false),
        ]
    }
}
