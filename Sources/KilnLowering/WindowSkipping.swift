import CLLVM
import KilnFrontend
import KilnLLVM

/// Loops that walk linear memory until a byte test stops them get a vector prologue that tests
/// 16 or 32 bytes at a time while the windows are inside the memory, and the loop itself finds
/// the byte from there: loops that compare two byte arrays until they differ (wasi-libc's
/// `memcmp`; byte_compare_loops.cpp) and word loops that search one array for a byte (its
/// `strlen`, `memchr`, `strchrnul`; byte_search_loops.cpp). Why the windows find what the loops
/// find, and trap where they would, is at the top of those files and of window_skipping.h.
public enum WindowSkipping {
    /// Run before the loop passes: marks both kinds of loop not to be unrolled, which would leave
    /// several tests an iteration, a shape the prologues do not take (`memcmp(a, b, n * 4)`
    /// inlined, whose count LLVM knows to be a multiple of four).
    public static func keepLoopsRolled(in module: LLVMModuleRef, of wasm: WasmModule) {
        let (loadTag, fields) = arguments(module, wasm)
        PhaseReport.count("byte-compare loops kept rolled", Int(kiln_keep_byte_compare_loops_rolled(module, loadTag, fields)))
        PhaseReport.count("byte-search loops kept rolled", Int(kiln_keep_byte_search_loops_rolled(module, loadTag, fields)))
    }

    /// Run after the last IR pass: gives both kinds of loop their prologue.
    public static func insertPrologues(in module: LLVMModuleRef, of wasm: WasmModule) {
        let (loadTag, fields) = arguments(module, wasm)
        PhaseReport.count("byte-compare loops given a vector prologue", Int(kiln_skip_equal_bytes(module, loadTag, fields)))
        PhaseReport.count("byte-search loops given a vector prologue", Int(kiln_skip_bytes_searched_for(module, loadTag, fields)))
    }

    /// The type-based alias tag of linear-memory loads, and where each memory's fields are.
    private static func arguments(_ module: LLVMModuleRef, _ wasm: WasmModule) -> (LLVMMetadataRef?, kiln_memory_fields) {
        let tags = AliasTags.linearMemoryTags(LLVMGetModuleContext(module))
        return (LLVMValueAsMetadata(tags.load), LinearMemory.fields(of: wasm))
    }
}
