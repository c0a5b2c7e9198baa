import CLLVM
import KilnFrontend
import KilnLLVM
import WAT
import XCTest
@testable import KilnLowering

/// Every Wasm-convention function whose address escapes, every function of a module with tail
/// calls and every call through a pointer is `tailcc`; a function only called directly, in a module
/// without tail calls, has the C convention. A caller and callee that disagree are undefined
/// behaviour that LLVM's verifier cannot see through a code pointer, so the whole lowered module
/// is checked here, call by call.
final class WasmCallingConventionTests: XCTestCase {
    static let module = """
        (module
          (import "env" "host" (func $host (param i32) (result i32)))
          (type $unary (func (param i32) (result i32)))
          (table 1 funcref)
          (elem (i32.const 0) $direct)
          (func $direct (export "direct") (param i32) (result i32) (call $host (local.get 0)))
          (func (export "indirect") (param i32) (result i32) (call_indirect (type $unary) (local.get 0) (i32.const 0)))
          (func (export "tail") (param i32) (result i32) (return_call $direct (local.get 0)))
          (func (export "tail_host") (param i32) (result i32) (return_call $host (local.get 0)))
          (func (export "tail_indirect") (param i32) (result i32)
            (return_call_indirect (type $unary) (local.get 0) (i32.const 0)))
          ;; More than two results come back through a results area, which a tail call hands on.
          (func $three (result i32 i64 f64) (i32.const 1) (i64.const 2) (f64.const 3))
          (func (export "tail_three") (result i32 i64 f64) (return_call $three)))
        """

    func testTheConventionIsTailccOnBothSidesOfEveryCall() throws {
        let ir = try lower(Self.module)
        var wasmFunctions = 0
        var calls: [String: Int] = [:]
        for f in functions(of: ir) {
            let name = String(cString: LLVMGetValueName(f))
            let isWasm = name.hasPrefix("wasm[") || name.hasPrefix("kiln.host_thunk.")
            if isWasm {
                XCTAssertEqual(LLVMGetFunctionCallConv(f), WasmCallingConvention.tailID, name)
                wasmFunctions += 1
            } else if name.hasPrefix("kiln.array_call.") {
                XCTAssertEqual(LLVMGetFunctionCallConv(f), LLVMCCallConv.rawValue, "\(name) is called by C")
            }
            for call in callInstructions(in: f) {
                let convention = LLVMGetInstructionCallConv(call)
                if let callee = LLVMGetCalledValue(call), LLVMIsAFunction(callee) != nil {
                    XCTAssertEqual(convention, LLVMGetFunctionCallConv(callee), "\(name) calls \(String(cString: LLVMGetValueName(callee)))")
                    if convention == WasmCallingConvention.tailID { calls["direct", default: 0] += 1 }
                } else if convention == WasmCallingConvention.tailID {
                    calls["through a pointer", default: 0] += 1
                }
                // An invoke (a trampoline's) has no tail-call kind: it is never a tail call.
                guard LLVMIsACallInst(call) != nil else { continue }
                if LLVMGetTailCallKind(call) == LLVMTailCallKindMustTail {
                    XCTAssertEqual(convention, WasmCallingConvention.tailID)
                    XCTAssertNotNil(LLVMIsAReturnInst(LLVMGetNextInstruction(call)), "musttail is followed by ret")
                    calls["tail", default: 0] += 1
                } else if convention == WasmCallingConvention.tailID {
                    XCTAssertEqual(LLVMGetTailCallKind(call), LLVMTailCallKindNoTail, "an ordinary Wasm call in \(name)")
                }
            }
        }
        // Seven defined functions and a host thunk and an array-call trampoline per type.
        let types = try ModuleDecoder.decode(try wat2wasm(Self.module)).types.count
        XCTAssertEqual(wasmFunctions, 7 + types)
        // return_call $direct and $three; then the import, call_indirect, their tail forms and the
        // trampolines.
        XCTAssertEqual(calls["direct"], 2)
        XCTAssertEqual(calls["through a pointer"], 4 + types)
        XCTAssertEqual(calls["tail"], 4)
        // $three is wasm[6]: void (ctx, results area), and its tail caller passes its own area on.
        let three = try XCTUnwrap(functions(of: ir).first { String(cString: LLVMGetValueName($0)).hasPrefix("wasm[6]") })
        XCTAssertEqual(LLVMCountParams(three), 2)
        XCTAssertEqual(LLVMGetTypeKind(LLVMGetReturnType(LLVMGlobalGetValueType(three))), LLVMVoidTypeKind)
        let tailThree = try XCTUnwrap(functions(of: ir).first { String(cString: LLVMGetValueName($0)).hasPrefix("wasm[7]") })
        let forwarded = try XCTUnwrap(callInstructions(in: tailThree).first { LLVMGetTailCallKind($0) == LLVMTailCallKindMustTail })
        XCTAssertEqual(LLVMGetOperand(forwarded, 1), LLVMGetParam(tailThree, 1))
        // Tail-calling functions are never inlined (see FunctionLowering+Calls); "tail" is wasm[3].
        let tail = try XCTUnwrap(functions(of: ir).first { String(cString: LLVMGetValueName($0)).hasPrefix("wasm[3]") })
        let noinline = LLVMGetEnumAttributeKindForName("noinline", 8)
        XCTAssertNotNil(LLVMGetEnumAttributeAtIndex(tail, LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex)), noinline))
        // WasmCallingConvention.tailID is a number the C API has no name for: it must be tailcc.
        let text = LLVMPrintValueToString(tail)!
        defer { LLVMDisposeMessage(text) }
        XCTAssertTrue(String(cString: text).contains("define hidden tailcc i32 @"), String(cString: text))
        XCTAssertTrue(String(cString: text).contains("musttail call tailcc i32 @"), String(cString: text))
    }

    /// Without tail calls, what only direct calls reach has the C convention; every function
    /// whose address escapes (export, element segment of a table another module can reach, table
    /// or global initialiser, start) and every call through a pointer keeps tailcc, so modules can
    /// call each other's functions. (A table nothing else can reach: FixedTableTests.)
    func testFunctionsOnlyCalledDirectlyHaveTheCConventionInAModuleWithoutTailCalls() throws {
        let ir = try lower("""
            (module
              (import "env" "host" (func $host (param i32) (result i32)))
              (type $unary (func (param i32) (result i32)))
              (table (export "table") 1 funcref)
              (elem (i32.const 0) $inElement)
              (table $initialised 1 funcref (ref.func $inTableInitialiser))
              (global funcref (ref.func $inGlobal))
              (start $start)
              (func $private (param i32) (result i32) (call $host (local.get 0)))
              (func $inElement (param i32) (result i32) (call $private (local.get 0)))
              (func $inTableInitialiser (param i32) (result i32) (local.get 0))
              (func $inGlobal (param i32) (result i32) (local.get 0))
              (func $start)
              (func (export "exported") (param i32) (result i32)
                (call $private (call_indirect (type $unary) (local.get 0) (i32.const 0)))))
            """)
        var conventions: [String: UInt32] = [:]
        var wasmCallsThroughPointers = 0
        for f in functions(of: ir) {
            let name = String(cString: LLVMGetValueName(f))
            guard name.hasPrefix("wasm[") else { continue }
            conventions[String(name.prefix { $0 != "]" }) + "]"] = LLVMGetFunctionCallConv(f)
            for call in callInstructions(in: f) {
                let convention = LLVMGetInstructionCallConv(call)
                if let callee = LLVMGetCalledValue(call), LLVMIsAFunction(callee) != nil {
                    XCTAssertEqual(convention, LLVMGetFunctionCallConv(callee), name)
                } else if LLVMGetTailCallKind(call) == LLVMTailCallKindNoTail {
                    // A Wasm call (calls into the runtime, by pointers in the vmctx, have no tail kind).
                    XCTAssertEqual(convention, WasmCallingConvention.tailID, "a call through a pointer in \(name)")
                    wasmCallsThroughPointers += 1
                }
            }
        }
        let c = LLVMCCallConv.rawValue, tail = WasmCallingConvention.tailID
        // The import's and call_indirect's.
        XCTAssertEqual(wasmCallsThroughPointers, 2)
        XCTAssertEqual(conventions, ["wasm[1]": c, "wasm[2]": tail, "wasm[3]": tail, "wasm[4]": tail, "wasm[5]": tail, "wasm[6]": tail])
    }

    private func functions(of ir: IRBuilder) -> [LLVMValueRef] {
        var all: [LLVMValueRef] = []
        var function = LLVMGetFirstFunction(ir.module)
        while let f = function {
            all.append(f)
            function = LLVMGetNextFunction(f)
        }
        return all
    }

    private func lower(_ wat: String) throws -> IRBuilder {
        let module = try ModuleDecoder.decodeAndValidate(try wat2wasm(wat))
        let ir = IRBuilder(moduleName: "convention")
        let lowering = ModuleLowering(module: module, fingerprint: "test", cpuFeatures: 0, inlining: InliningBudget(isEnabled: true))
        for partition in PartitionPlan.partitions(of: module) {
            try lowering.lower(partition, into: ir)
        }
        var message: UnsafeMutablePointer<CChar>?
        let invalid = LLVMVerifyModule(ir.module, LLVMReturnStatusAction, &message) != 0
        let report = message.map { String(cString: $0) } ?? ""
        LLVMDisposeMessage(message)
        XCTAssertFalse(invalid, report)
        return ir
    }

    /// The calls and invokes of `function`.
    private func callInstructions(in function: LLVMValueRef) -> [LLVMValueRef] {
        var calls: [LLVMValueRef] = []
        var block = LLVMGetFirstBasicBlock(function)
        while let b = block {
            block = LLVMGetNextBasicBlock(b)
            var instruction = LLVMGetFirstInstruction(b)
            while let i = instruction {
                instruction = LLVMGetNextInstruction(i)
                // Invokes too: the array-call trampolines invoke their callee (to catch exceptions).
                if LLVMIsACallInst(i) != nil || LLVMIsAInvokeInst(i) != nil { calls.append(i) }
            }
        }
        return calls
    }
}
