import CLLVM
#if canImport(Glibc)
import Glibc
#endif

/// The host's LLVM target, initialised once per process.
enum NativeTargetRegistration {
    /// Swift runs a global's initialiser exactly once, thread-safely.
    static let done: Bool = {
        LLVMInitializeX86TargetInfo()
        LLVMInitializeX86Target()
        LLVMInitializeX86TargetMC()
        LLVMInitializeX86AsmPrinter()
        // X86 domain reassignment (moving integer work into AVX-512 mask registers) is
        // superlinear in function size: 86% of the fast tier's time on a 100 KB function, 8x
        // the rest of code generation. What it gains is marginal, so it is off for every level.
        //
        // Innermost loops start on a 32-byte boundary rather than LLVM's 16, so that a loop of
        // up to 32 bytes never straddles a 64-byte fetch and micro-op cache line. Which loops
        // did straddle one was luck of the layout, and it decided whole programs' speed: the
        // benchmark suite's sieve marking loop (19 bytes) ran 16% slower across a line, and the
        // interpreter's dispatch loop swung by a quarter between builds that differed elsewhere
        // (docs/benchmarks.md, Kiln 0.5.24). The padding runs once per entry into the loop.
        //
        // CodeGenPrepare starts its walk over a function again from the first block after every
        // change to the control flow, unless the function has more blocks than this, where it
        // revisits only the blocks it changed (LLVM's own mode for functions over 10,000 blocks,
        // the same rewrites). An interpreter's dispatch loop of 2,000 blocks spent 1.2 s there,
        // 0.07 s in that mode; no function of the benchmark programs reaches 1,000 blocks, and
        // their code is byte-identical (docs/compile-time.md, Kiln 0.5.27).
        var options = [
            "kiln", "-disable-x86-domain-reassignment", "-x86-experimental-pref-innermost-loop-alignment=5",
            "-cgpp-huge-func=1000",
        ]
        // A debugging aid, not an option: KILN_LLVM_OPTIONS="-time-passes ..." hands more of LLVM's
        // own command-line options to it, to see where compile time goes.
        if let extra = getenv("KILN_LLVM_OPTIONS").map({ String(cString: $0) }) {
            options += extra.split(separator: " ").map(String.init)
        }
        // LLVM keeps the pointers for the life of the process.
        var pointers = options.map { strdup($0).map { UnsafePointer($0) } }
        LLVMParseCommandLineOptions(Int32(options.count), &pointers, nil)
        return true
    }()
}

/// Takes ownership of a message LLVM allocated and returns it as a Swift string.
func consumeLLVMMessage(_ message: UnsafeMutablePointer<CChar>?) -> String {
    guard let message else { return "" }
    defer { LLVMDisposeMessage(message) }
    return String(cString: message)
}

/// Facts about the host CPU as LLVM sees it.
public enum HostCPU {
    public static var triple: String {
        _ = NativeTargetRegistration.done
        return consumeLLVMMessage(LLVMGetDefaultTargetTriple())
    }
    public static var name: String { consumeLLVMMessage(LLVMGetHostCPUName()) }
    /// Comma-separated "+feature,-feature" list.
    public static var features: String { consumeLLVMMessage(LLVMGetHostCPUFeatures()) }
}

/// The LLVM version this process links, e.g. "19.1.7".
public var llvmVersion: String {
    var major: UInt32 = 0, minor: UInt32 = 0, patch: UInt32 = 0
    LLVMGetVersion(&major, &minor, &patch)
    return "\(major).\(minor).\(patch)"
}
