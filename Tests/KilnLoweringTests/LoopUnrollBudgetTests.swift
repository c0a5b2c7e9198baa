import CLLVM
import KilnFrontend
import KilnLLVM
@testable import KilnLowering
import WAT
import XCTest

/// Loops have one latch each, and a function over the unrolling budget marks every latch so that
/// LLVM unrolls none of its loops; a small function's loops stay free to unroll.
final class LoopUnrollBudgetTests: XCTestCase {
    /// `$small` and `$large` each have one loop; `$large`'s body is over the budget.
    static func module(largeBodyRounds: Int) -> String {
        let round = "(local.set 0 (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))\n"
        let body = String(repeating: round, count: largeBodyRounds)
        func loop(_ inner: String) -> String {
            "(loop $l \(inner) (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1))))) (local.get 0)"
        }
        return """
            (module
              (func $small (export "small") (param i32 i32) (result i32) \(loop(round)))
              (func $large (export "large") (param i32 i32) (result i32) \(loop(body))))
            """
    }

    func testOnlyTheLargeFunctionsLatchForbidsUnrolling() throws {
        let rounds = LoopUnrollBudget.largestUnrolledFunction / 8 + 100
        let module = try ModuleDecoder.decodeAndValidate(try wat2wasm(Self.module(largeBodyRounds: rounds)))
        XCTAssertFalse(LoopUnrollBudget.allowsUnrolling(inFunctionOfSize: module.codes[1].expression.count))
        XCTAssertTrue(LoopUnrollBudget.allowsUnrolling(inFunctionOfSize: module.codes[0].expression.count))
        let ir = IRBuilder(moduleName: "unroll")
        let lowering = ModuleLowering(module: module, fingerprint: "test", cpuFeatures: 0, inlining: InliningBudget(isEnabled: true))
        // One partition: both functions' bodies in this IR module.
        for partition in PartitionPlan.partitions(of: module, targetCodeSize: .max) { try lowering.lower(partition, into: ir) }
        var message: UnsafeMutablePointer<CChar>?
        XCTAssertEqual(LLVMVerifyModule(ir.module, LLVMReturnStatusAction, &message), 0, message.map { String(cString: $0) } ?? "")
        LLVMDisposeMessage(message)

        let loopKind = LLVMGetMDKindIDInContext(ir.context, "llvm.loop", 9)
        for (name, expectsMark) in [("wasm[0]", false), ("wasm[1]", true)] {
            let function = try XCTUnwrap(definedFunction(named: name, in: ir), name)
            let backEdges = branches(in: function).filter {
                isLatch(LLVMGetInstructionParent($0)) && LLVMGetNumSuccessors($0) == 1 && isLoopHeader(LLVMGetSuccessor($0, 0))
            }
            XCTAssertEqual(backEdges.count, 1, "\(name): one latch for the loop")
            for branch in backEdges {
                XCTAssertEqual(LLVMGetMetadata(branch, loopKind) != nil, expectsMark, name)
            }
        }
        let printed = LLVMPrintModuleToString(ir.module)!
        defer { LLVMDisposeMessage(printed) }
        let text = String(cString: printed)
        XCTAssertTrue(text.contains("!{!\"llvm.loop.unroll.disable\"}"), "the loop ID carries the property")
    }

    private func isLatch(_ block: LLVMBasicBlockRef?) -> Bool {
        guard let block, let name = LLVMGetBasicBlockName(block) else { return false }
        return String(cString: name).hasPrefix("loop.continue")
    }

    /// The function whose symbol is `name`, or `name:` and its name-section name.
    private func definedFunction(named name: String, in ir: IRBuilder) -> LLVMValueRef? {
        var function = LLVMGetFirstFunction(ir.module)
        while let current = function {
            let symbol = String(cString: LLVMGetValueName(current))
            if symbol == name || symbol.hasPrefix(name + ":") { return current }
            function = LLVMGetNextFunction(current)
        }
        return nil
    }

    private func isLoopHeader(_ block: LLVMBasicBlockRef?) -> Bool {
        guard let block, let name = LLVMGetBasicBlockName(block) else { return false }
        return String(cString: name).hasPrefix("loop") && !String(cString: name).contains(".")
    }

    private func branches(in function: LLVMValueRef) -> [LLVMValueRef] {
        var found: [LLVMValueRef] = []
        var block = LLVMGetFirstBasicBlock(function)
        while let current = block {
            if let terminator = LLVMGetBasicBlockTerminator(current), LLVMIsABranchInst(terminator) != nil { found.append(terminator) }
            block = LLVMGetNextBasicBlock(current)
        }
        return found
    }
}
