import CLLVM
import KilnLLVM

/// clang's range test around a C cast from float to a signed integer (`fabs(x) < 2^(N-1) ?
/// trunc(x) : INT_MIN`, emitted for wasm32 without nontrapping-fptoint) becomes x86's truncating
/// conversion, which gives INT_MIN exactly where the test fails. The why and the proof are at the
/// top of Sources/CLLVM/guarded_float_to_int.cpp.
public enum GuardedFloatToInt {
    /// Run after the last IR pass. Returns how many tests were folded.
    @discardableResult
    public static func fold(in module: LLVMModuleRef) -> Int {
        let folded = Int(kiln_fold_guarded_float_to_int(module))
        PhaseReport.count("float-to-integer range tests folded into the conversion", folded)
        return folded
    }
}
