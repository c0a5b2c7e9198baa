import CLLVM
import KilnFrontend

/// Innermost loops that store to linear memory get a copy that runs when the ranges they access
/// are disjoint and inside the memory, with alias scopes that let LLVM vectorise it; the original
/// runs otherwise. The why, and why traps stay exact, are at the
/// top of Sources/CLLVM/memory_loop_versioning.cpp, which does it with LLVM's own loop and
/// scalar-evolution utilities (the C API has neither).
public enum MemoryLoopVersioning {
    /// Each memory is never smaller than its declared minimum (an imported one is at least that
    /// large too), below which no range needs checking.
    public static func versionLoops(in module: LLVMModuleRef, of wasm: WasmModule) {
        let tags = AliasTags.linearMemoryTags(LLVMGetModuleContext(module))
        // A 64-bit memory's minimum may be 2^48 pages, whose bytes overflow (it never instantiates).
        let minimumBytes = wasm.allMemoryTypes.map { memory in
            let (bytes, overflows) = memory.min.multipliedReportingOverflow(by: ABI.wasmPageSize)
            return overflows ? UInt64.max : bytes
        }
        kiln_version_memory_loops(
            module, LLVMValueAsMetadata(tags.store), LLVMValueAsMetadata(tags.load), LinearMemory.fields(of: wasm),
            minimumBytes, UInt32(minimumBytes.count))
    }
}
