import CLLVM
import KilnLLVM

/// Functions whose vector code emulates gathers (lanes taken out to address scalar loads) keep
/// their vectors in the registers the CPU prefers, 256-bit ones on AVX-512 Xeons, as clang keeps
/// every function's: Sources/CLLVM/emulated_gather_width.cpp says why only these.
public enum EmulatedGatherWidth {
    /// Run after the last IR pass. Returns how many functions were marked.
    @discardableResult
    public static func split(in module: LLVMModuleRef) -> Int {
        let marked = Int(kiln_split_vectors_of_emulated_gathers(module))
        PhaseReport.count("functions with emulated gathers kept to the preferred vector width", marked)
        return marked
    }
}
