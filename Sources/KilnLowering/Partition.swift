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

    public static func partitions(of module: WasmModule, targetCodeSize: Int = targetCodeSize) -> [Partition] {
        var partitions: [Partition] = []
        var start = 0
        var size = 0
        func close(at end: Int) {
            partitions.append(Partition(index: partitions.count, functions: start..<end, codeSize: size))
            start = end
            size = 0
        }
        for (index, code) in module.codes.enumerated() {
            let bodySize = code.expression.count
            // A function never straddles partitions; a huge one gets a partition of its own.
            if size > 0 && size + bodySize > targetCodeSize { close(at: index) }
            size += bodySize
        }
        close(at: module.codes.count)
        return partitions
    }
}
