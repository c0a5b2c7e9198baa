import CLLVM
import Foundation
import KilnLLVM
@testable import KilnLowering

/// Wasm value types as the lowering sees them in LLVM.
enum OperandType {
    case i32, i64, f32, f64, v128

    func llvmType(_ ir: IRBuilder) -> LLVMTypeRef {
        switch self {
        case .i32: ir.i32
        case .i64: ir.i64
        case .f32: ir.f32
        case .f64: ir.f64
        case .v128: ir.v128
        }
    }
}

/// One Wasm value as raw bits: scalars use the low bits of `low`; v128 uses both (little endian).
struct Bits: Equatable, CustomStringConvertible {
    var low: UInt64
    var high: UInt64 = 0

    var description: String {
        high == 0 ? "0x" + String(low, radix: 16) : "0x" + String(high, radix: 16) + ":" + String(low, radix: 16)
    }
}

/// What running a lowered instruction produced.
enum Outcome: Equatable, CustomStringConvertible {
    case value(Bits)
    case trap(UInt32)

    var description: String {
        switch self {
        case .value(let bits): "value(\(bits))"
        case .trap(let code): "trap(\(code))"
        }
    }
}

/// Lowers one instruction into test functions, compiles them with LLVM's ORC LLJIT and runs them.
///
/// Two functions per input are built: one reads its operands from memory (so LLVM cannot fold
/// them) and one has them as constants (so LLVM's constant folder, which the optimiser also uses
/// on real Wasm code, is what computes the answer). `run` does both with and without the O2
/// pipeline, so each input is checked four ways; all four must agree with the expectation.
///
/// Traps are modelled by the test's `trapIf`: it stores the code through a pointer parameter and
/// returns, exactly as the real trap leaves the function, so the code after it never runs with
/// the operands that trapped.
enum LoweringJIT {
    typealias Lower = (NumericLowering, [LLVMValueRef]) -> LLVMValueRef

    /// One instruction (or small sequence) and the inputs to run it on.
    struct Case {
        var params: [OperandType]
        var result: OperandType
        var inputs: [[Bits]]
        var lower: Lower
    }

    /// Outcomes per case, per input, per variant: [case][input][variant]. All cases share one
    /// LLVM module, so one JIT session compiles them all.
    static func run(_ cases: [Case]) throws -> [[[Outcome]]] {
        var outcomes = cases.map { Array(repeating: [Outcome](), count: $0.inputs.count) }
        for optimize in [false, true] {
            let ir = IRBuilder(moduleName: "lowering_test")
            for (caseIndex, testCase) in cases.enumerated() {
                buildFromMemory(ir, name: "memory\(caseIndex)", testCase)
                for (index, input) in testCase.inputs.enumerated() {
                    buildWithConstants(ir, name: "const\(caseIndex)_\(index)", testCase, input: input)
                }
            }
            if !optimize { dumpIRIfRequested(ir) }
            let jit = try JITModule(ir, optimize: optimize)
            for (caseIndex, testCase) in cases.enumerated() {
                let fromMemory = unsafeBitCast(try jit.address(of: "memory\(caseIndex)"),
                                               to: (@convention(c) (UnsafeRawPointer, UnsafeMutableRawPointer, UnsafeMutablePointer<UInt32>) -> Void).self)
                for (index, input) in testCase.inputs.enumerated() {
                    let withConstants = unsafeBitCast(try jit.address(of: "const\(caseIndex)_\(index)"),
                                                      to: (@convention(c) (UnsafeMutableRawPointer, UnsafeMutablePointer<UInt32>) -> Void).self)
                    outcomes[caseIndex][index].append(invoke { out, trap in
                        let slots: [UInt64] = input.flatMap { [$0.low, $0.high] }
                        slots.withUnsafeBytes { fromMemory($0.baseAddress!, out, trap) }
                    })
                    outcomes[caseIndex][index].append(invoke { out, trap in withConstants(out, trap) })
                }
            }
        }
        return outcomes
    }

    /// With KILN_LOWERING_IR_DIR set, writes each test module's IR there, to inspect the
    /// machine code with llc (e.g. `llc -O2 -mcpu=native`).
    private static func dumpIRIfRequested(_ ir: IRBuilder) {
        guard let directory = ProcessInfo.processInfo.environment["KILN_LOWERING_IR_DIR"] else { return }
        let text = takeMessage(LLVMPrintModuleToString(ir.module))
        let name = String(text.hashValue, radix: 16).replacingOccurrences(of: "-", with: "n")
        try? text.write(toFile: directory + "/" + name + ".ll", atomically: true, encoding: .utf8)
    }

    private static func invoke(_ body: (UnsafeMutableRawPointer, UnsafeMutablePointer<UInt32>) -> Void) -> Outcome {
        var out: (UInt64, UInt64) = (0, 0)
        var trap: UInt32 = 0
        withUnsafeMutableBytes(of: &out) { body($0.baseAddress!, &trap) }
        return trap != 0 ? .trap(trap) : .value(Bits(low: out.0, high: out.1))
    }

    // MARK: Building the test functions

    /// void memoryN(ptr operands, ptr result, ptr trapCode); operands are 16-byte slots.
    private static func buildFromMemory(_ ir: IRBuilder, name: String, _ testCase: Case) {
        let function = addFunction(ir, name, [ir.ptr, ir.ptr, ir.ptr])
        let operands = testCase.params.enumerated().map { index, type in
            let address = slot(ir, LLVMGetParam(function, 0), index)
            return LLVMBuildLoad2(ir.builder, type.llvmType(ir), address, "")!
        }
        finish(ir, function, lower: testCase.lower, operands: operands, out: LLVMGetParam(function, 1), trap: LLVMGetParam(function, 2))
    }

    /// void constN(ptr result, ptr trapCode) with the operands baked in as constants.
    private static func buildWithConstants(_ ir: IRBuilder, name: String, _ testCase: Case, input: [Bits]) {
        let function = addFunction(ir, name, [ir.ptr, ir.ptr])
        let operands = zip(testCase.params, input).map { constant(ir, $0, $1) }
        finish(ir, function, lower: testCase.lower, operands: operands, out: LLVMGetParam(function, 0), trap: LLVMGetParam(function, 1))
    }

    private static func addFunction(_ ir: IRBuilder, _ name: String, _ params: [LLVMTypeRef]) -> LLVMValueRef {
        let function = LLVMAddFunction(ir.module, name, ir.functionType(ir.void, params))!
        ir.position(at: ir.appendBlock("entry", to: function))
        return function
    }

    private static func finish(_ ir: IRBuilder, _ function: LLVMValueRef, lower: Lower, operands: [LLVMValueRef], out: LLVMValueRef, trap: LLVMValueRef) {
        LLVMBuildStore(ir.builder, ir.i32(UInt32(0)), trap)
        let lowering = NumericLowering(ir: ir, trapIf: { condition, code in
            let trapBlock = ir.appendBlock("trap")
            let continueBlock = ir.appendBlock("continue")
            LLVMBuildCondBr(ir.builder, condition, trapBlock, continueBlock)
            ir.position(at: trapBlock)
            LLVMBuildStore(ir.builder, ir.i32(code), trap)
            LLVMBuildRetVoid(ir.builder)
            ir.position(at: continueBlock)
        })
        let value = lower(lowering, operands)
        LLVMBuildStore(ir.builder, value, out)
        LLVMBuildRetVoid(ir.builder)
    }

    private static func slot(_ ir: IRBuilder, _ base: LLVMValueRef, _ index: Int) -> LLVMValueRef {
        var offset: [LLVMValueRef?] = [ir.i64(UInt64(index * 16))]
        return offset.withUnsafeMutableBufferPointer {
            LLVMBuildInBoundsGEP2(ir.builder, ir.i8, base, $0.baseAddress, 1, "")
        }
    }

    static func constant(_ ir: IRBuilder, _ type: OperandType, _ bits: Bits) -> LLVMValueRef {
        switch type {
        case .i32: return ir.i32(UInt32(truncatingIfNeeded: bits.low))
        case .i64: return ir.i64(bits.low)
        case .f32: return ir.f32(bits: UInt32(truncatingIfNeeded: bits.low))
        case .f64: return ir.f64(bits: bits.low)
        case .v128:
            var lanes: [LLVMValueRef?] = [ir.i64(bits.low), ir.i64(bits.high)]
            return lanes.withUnsafeMutableBufferPointer { LLVMConstVector($0.baseAddress, 2) }
        }
    }
}

struct LLVMFailure: Error, CustomStringConvertible {
    var description: String
}

/// A module compiled by LLJIT for the host CPU. The IRBuilder's module is copied (through
/// bitcode) into a context the JIT owns, so the IRBuilder keeps owning its own.
final class JITModule {
    private let jit: LLVMOrcLLJITRef

    init(_ ir: IRBuilder, optimize: Bool) throws {
        HostTarget.initialize()
        var message: UnsafeMutablePointer<CChar>?
        if LLVMVerifyModule(ir.module, LLVMReturnStatusAction, &message) != 0 {
            throw LLVMFailure(description: "invalid IR: " + takeMessage(message) + "\n" + takeMessage(LLVMPrintModuleToString(ir.module)))
        }
        let bitcode = LLVMWriteBitcodeToMemoryBuffer(ir.module)
        defer { LLVMDisposeMemoryBuffer(bitcode) }
        let threadSafeContext = LLVMOrcCreateNewThreadSafeContext()
        defer { LLVMOrcDisposeThreadSafeContext(threadSafeContext) }
        var module: LLVMModuleRef?
        guard LLVMParseBitcodeInContext2(LLVMOrcThreadSafeContextGetContext(threadSafeContext), bitcode, &module) == 0,
              let module else { throw LLVMFailure(description: "bitcode round trip failed") }
        if optimize {
            let options = LLVMCreatePassBuilderOptions()
            defer { LLVMDisposePassBuilderOptions(options) }
            let machine = HostTarget.makeMachine()
            defer { LLVMDisposeTargetMachine(machine) }
            try check(LLVMRunPasses(module, "default<O2>", machine, options))
        }
        // As the compiler does after its last pass: x86 cannot select the markers.
        ArithmeticNaN.settle(in: module)
        let threadSafeModule = LLVMOrcCreateNewThreadSafeModule(module, threadSafeContext)
        var jit: LLVMOrcLLJITRef?
        try check(LLVMOrcCreateLLJIT(&jit, nil))
        self.jit = jit!
        try check(LLVMOrcLLJITAddLLVMIRModule(self.jit, LLVMOrcLLJITGetMainJITDylib(self.jit), threadSafeModule))
    }

    deinit { _ = LLVMOrcDisposeLLJIT(jit) }

    func address(of name: String) throws -> UnsafeRawPointer {
        var address: LLVMOrcExecutorAddress = 0
        try check(LLVMOrcLLJITLookup(jit, &address, name))
        return UnsafeRawPointer(bitPattern: UInt(address))!
    }
}

func check(_ error: LLVMErrorRef?) throws {
    guard let error else { return }
    throw LLVMFailure(description: takeMessage(LLVMGetErrorMessage(error)))
}

func takeMessage(_ message: UnsafeMutablePointer<CChar>?) -> String {
    guard let message else { return "" }
    defer { LLVMDisposeMessage(message) }
    return String(cString: message)
}

enum HostTarget {
    private static let initialized: Bool = {
        LLVMInitializeX86TargetInfo()
        LLVMInitializeX86Target()
        LLVMInitializeX86TargetMC()
        LLVMInitializeX86AsmPrinter()
        return true
    }()

    static func initialize() { _ = initialized }

    static func makeMachine() -> LLVMTargetMachineRef {
        let triple = LLVMGetDefaultTargetTriple()
        defer { LLVMDisposeMessage(triple) }
        var target: LLVMTargetRef?
        var error: UnsafeMutablePointer<CChar>?
        precondition(LLVMGetTargetFromTriple(triple, &target, &error) == 0, takeMessage(error))
        let cpu = LLVMGetHostCPUName(), features = LLVMGetHostCPUFeatures()
        defer { LLVMDisposeMessage(cpu); LLVMDisposeMessage(features) }
        return LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelDefault, LLVMRelocDefault, LLVMCodeModelJITDefault)!
    }
}
