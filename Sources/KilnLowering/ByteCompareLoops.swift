import CLLVM
import KilnFrontend
import KilnLLVM

/// Loops that walk two byte arrays until they differ (wasi-libc's `memcmp`, inlined or not) get a
/// vector prologue that compares 16 bytes at a time while both windows are inside the memory, and
/// the loop itself finds the first difference from there. The why, and why traps stay exact, are
/// at the top of Sources/CLLVM/byte_compare_loops.cpp.
public enum ByteCompareLoops {
    /// Run before the loop passes. LLVM unrolls such a loop when it knows its count is a multiple
    /// of the factor (`memcmp(a, b, n * 4)` inlined), and the unrolled loop, with several byte
    /// pairs and exits per iteration, is not a shape `skipEqualBytes` takes: posting_codec's array
    /// compares ran byte by byte. Returns how many loops were marked.
    @discardableResult
    public static func keepRolled(in module: LLVMModuleRef, of wasm: WasmModule) -> Int {
        let tags = AliasTags.linearMemoryTags(LLVMGetModuleContext(module))
        let marked = Int(kiln_keep_byte_compare_loops_rolled(module, LLVMValueAsMetadata(tags.load), LinearMemory.fields(of: wasm)))
        PhaseReport.count("byte-compare loops kept rolled", marked)
        return marked
    }

    /// Run after the last IR pass. Returns how many loops were given the prologue.
    @discardableResult
    public static func skipEqualBytes(in module: LLVMModuleRef, of wasm: WasmModule) -> Int {
        let tags = AliasTags.linearMemoryTags(LLVMGetModuleContext(module))
        let changed = Int(kiln_skip_equal_bytes(module, LLVMValueAsMetadata(tags.load), LinearMemory.fields(of: wasm)))
        PhaseReport.count("byte-compare loops given a vector prologue", changed)
        return changed
    }
}
