import CLLVM

/// The host's LLVM target, initialised once per process.
enum NativeTargetRegistration {
    /// Swift runs a global's initialiser exactly once, thread-safely.
    static let done: Bool = {
        LLVMInitializeX86TargetInfo()
        LLVMInitializeX86Target()
        LLVMInitializeX86TargetMC()
        LLVMInitializeX86AsmPrinter()
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
