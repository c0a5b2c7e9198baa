import CLLVM
import KilnLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// The Wasm convention of kiln_abi.h: how every function that Wasm code can call is declared, how
/// it receives its parameters and returns its results, and how every such call is emitted. The
/// one place that knows the convention.
///
/// Its LLVM convention is `tailcc`, which guarantees that a `musttail` call reuses the caller's
/// frame even when the callee takes more stack arguments than the caller (callee-popped
/// arguments), so `return_call` runs in constant native stack (DESIGN.md, decision 11). Every
/// function whose address leaves its module (exports, tables others can reach, `ref.func`, the
/// start function) has it, and every call through a pointer uses it, but a call through a table
/// only this module's `call_indirect` reaches (FixedTables), which takes the one convention of the
/// table's functions. A function that is only ever called directly or through such a table,
/// in a module without tail calls, has the C convention instead (`ConventionChoice`): nothing can
/// tail-call it, and `tailcc` would cost every call a stack re-adjustment (the callee pops a
/// 16-byte-aligned area even without stack arguments) and keep LLVM's fast instruction selector
/// away from every call and return. LLVM requires a call and its callee to agree on the
/// convention, and a mismatch is undefined behaviour that the verifier does not catch for
/// indirect calls: hence declarations and calls only through here; a direct call takes its
/// callee's convention.
///
/// Results come back in registers, as LLVM returns a value or a struct, when there are at most
/// two. More would not always fit the return registers (x86-64 has two for floats), and LLVM then
/// returns through a hidden pointer into the caller's frame, which a `musttail` call cannot
/// forward: it stops with "failed to perform tail call elimination". So those functions take an
/// explicit results area instead, a pointer to the struct of their results right after ctx, that
/// they fill before returning void; a tail call hands the caller's own area on to the callee.
enum WasmCallingConvention {
    /// `llvm::CallingConv::Tail` (llvm/IR/CallingConv.h). The C API's LLVMCallConv enum does not
    /// list it; the number is part of LLVM's bitcode format, so it is stable, and
    /// WasmCallingConventionTests checks that the IR prints it as `tailcc`.
    static let tailID: UInt32 = 18
    /// `llvm::CallingConv::C`: for functions only called directly (`ConventionChoice`).
    static let directOnlyID = UInt32(LLVMCCallConv.rawValue)

    /// The most results returned in registers; any two Wasm values fit x86-64's return registers.
    static let resultsInRegisters = 2

    /// Whether functions of `type` return through a results area.
    static func returnsThroughMemory(_ type: FunctionType) -> Bool {
        type.results.count > resultsInRegisters
    }
}

/// Which defined functions get the C convention: in a module without tail calls, those whose
/// address never leaves it, so that only direct calls reach them, and calls through a fixed
/// table (FixedTables) that nothing else can read.
///
/// A function in a table escapes when the table can hand it out: a table that is imported,
/// exported, changed or read by an instruction (table.get, table.copy's source), or called
/// through its function records. A sealed table, one that cannot, is only ever called through
/// FixedTables' arrays, so its calls take the convention its functions have, which must then be
/// one for all of them: the C convention where none of them escapes otherwise, else `tailcc`
/// for every one.
public struct ConventionChoice: Sendable {
    private let usesTailCalls: Bool
    /// Function indices whose address leaves the module, and the start function, which the
    /// runtime calls.
    private let escaping: Set<UInt32>
    /// Sealed fixed tables whose functions all have the C convention.
    private let directOnlyTables: Set<UInt32>

    init(module: WasmModule, fixedTables: FixedTables) {
        usesTailCalls = module.usesTailCalls
        let sealed = Self.sealedTables(of: module, fixedTables: fixedTables)
        func sealedTable(of element: ElementSegment) -> UInt32? {
            guard case .active(let table, _) = element.mode, sealed.contains(table) else { return nil }
            return table
        }
        var escaping = ModuleDecoder.declaredFunctionReferences(of: module, leavingOut: { sealedTable(of: $0) != nil })
            .union(module.functionsReferencedByCode).union(module.start.map { [$0] } ?? [])
        var members: [UInt32: Set<UInt32>] = [:]
        for element in module.elements {
            guard let table = sealedTable(of: element) else { continue }
            for item in element.initializer {
                for case .refFunc(let index) in item { members[table, default: []].insert(index) }
            }
        }
        // A called table with one function that escapes makes all of its functions `tailcc`,
        // which may make another table's functions so in turn.
        var directOnlyTables = Set(members.keys.filter(module.tablesCalledThrough.contains))
        var settled = false
        while !settled {
            settled = true
            for table in directOnlyTables where !members[table]!.isDisjoint(with: escaping) {
                directOnlyTables.remove(table)
                escaping.formUnion(members[table]!)
                settled = false
            }
        }
        self.escaping = escaping
        self.directOnlyTables = module.usesTailCalls ? [] : directOnlyTables
    }

    /// Tables that only this module's call_indirect reaches, through FixedTables' arrays if at all.
    private static func sealedTables(of module: WasmModule, fixedTables: FixedTables) -> Set<UInt32> {
        Set((0..<UInt32(module.allTableTypes.count)).filter { table in
            FixedTables.isPrivateAndUnchanged(table, in: module) && !module.tablesReadByCode.contains(table)
                && (!module.tablesCalledThrough.contains(table) || fixedTables.slots(of: table) != nil)
        })
    }

    /// The LLVM convention of function `functionIndex` (an index among all functions).
    func llvmID(ofFunction functionIndex: UInt32) -> UInt32 {
        usesTailCalls || escaping.contains(functionIndex) ? WasmCallingConvention.tailID : WasmCallingConvention.directOnlyID
    }

    /// The LLVM convention of a call through fixed table `table`: its functions' one convention.
    func llvmID(ofCallsThrough table: UInt32) -> UInt32 {
        directOnlyTables.contains(table) ? WasmCallingConvention.directOnlyID : WasmCallingConvention.tailID
    }
}

/// How a Wasm-convention call leaves its caller.
enum WasmCallKind {
    /// An ordinary call: the caller's frame stays, so deep recursion exhausts the stack and traps,
    /// as Wasm requires. Marked `notail`, so that no pass turns it into a jump or a loop.
    case ordinary
    /// `return_call`: a `musttail` call followed by the return of its result. The caller's frame
    /// is gone during the call; the block is terminated.
    case tail
}

/// A Wasm-convention call and the callee's results (none after a tail call).
struct WasmCall {
    let instruction: LLVMValueRef
    let results: [LLVMValueRef]
}

extension IRBuilder {
    /// `R code(void *ctx, params...)`, or `void code(void *ctx, struct results *, params...)`.
    /// Private: a function of this type is only made or called below, with the convention set.
    fileprivate func wasmFunctionType(of type: FunctionType) -> LLVMTypeRef {
        let parameters = type.parameters.map { self.type(of: $0) }
        if WasmCallingConvention.returnsThroughMemory(type) {
            return functionType(void, [ptr, ptr] + parameters)
        }
        return functionType(type.results.count == 1 ? self.type(of: type.results[0]) : resultsStruct(type), [ptr] + parameters)
    }

    /// The LLVM struct of a function's results (void without any): what a call returns for two,
    /// and the layout of the results area for more.
    private func resultsStruct(_ type: FunctionType) -> LLVMTypeRef {
        type.results.isEmpty ? void : structType(type.results.map { self.type(of: $0) })
    }

    /// A new function with the Wasm convention: a defined function, its copy, or a host thunk.
    /// `llvmConvention` is `tailID` unless `ConventionChoice` allows `directOnlyID`.
    func addWasmFunction(_ name: String, _ type: FunctionType, llvmConvention: UInt32 = WasmCallingConvention.tailID) -> LLVMValueRef {
        let function = LLVMAddFunction(module, name, wasmFunctionType(of: type))!
        LLVMSetFunctionCallConv(function, llvmConvention)
        return function
    }

    /// Wasm parameter `index` of `function`, a Wasm-convention function of `type`.
    func wasmParameter(_ function: LLVMValueRef, _ type: FunctionType, _ index: Int) -> LLVMValueRef {
        let first: UInt32 = WasmCallingConvention.returnsThroughMemory(type) ? 2 : 1
        return LLVMGetParam(function, first + UInt32(index))
    }

    /// Returns `results` from the current function, a Wasm-convention function of `type`.
    func wasmReturn(_ type: FunctionType, _ results: [LLVMValueRef]) {
        if WasmCallingConvention.returnsThroughMemory(type) {
            let area = LLVMGetParam(currentFunction, 1)!
            for (index, value) in results.enumerated() {
                LLVMBuildStore(builder, value, LLVMBuildStructGEP2(builder, resultsStruct(type), area, UInt32(index), ""))
            }
            LLVMBuildRetVoid(builder)
            return
        }
        switch results.count {
        case 0: LLVMBuildRetVoid(builder)
        case 1: LLVMBuildRet(builder, results[0])
        default:
            var aggregate = LLVMGetUndef(resultsStruct(type))!
            for (index, value) in results.enumerated() {
                aggregate = LLVMBuildInsertValue(builder, aggregate, value, UInt32(index), "")
            }
            LLVMBuildRet(builder, aggregate)
        }
    }

    /// Calls `callee` (a Wasm-convention function or code pointer) of `type` with its ctx and
    /// `args`. For `.tail` the current function must have the Wasm convention too, and its
    /// results must be `type`'s (validation guarantees both): LLVM's verifier rejects anything else.
    ///
    /// With `unwindTo` (a landing pad; ordinary calls only) the call is an `invoke` that unwinds
    /// there and otherwise goes on in a new block, where the builder is left.
    @discardableResult
    func wasmCall(
        _ type: FunctionType, _ callee: LLVMValueRef, context: LLVMValueRef, _ args: [LLVMValueRef], _ kind: WasmCallKind,
        unwindTo landingPad: LLVMBasicBlockRef? = nil, convention calleeConvention: UInt32? = nil
    ) -> WasmCall {
        let throughMemory = WasmCallingConvention.returnsThroughMemory(type)
        // A tail call's callee fills the caller's own results area: the results go straight to
        // whoever made the ordinary call that this chain of tail calls returns to.
        let area: LLVMValueRef? = !throughMemory ? nil
            : kind == .tail ? LLVMGetParam(currentFunction, 1) : entryAlloca(resultsStruct(type), "results")
        let arguments = [context] + (area.map { [$0] } ?? []) + args
        // A direct call takes its callee's convention; a call through a pointer reaches only
        // functions whose address escaped, which are all `tailcc`, unless it goes through a
        // sealed fixed table, whose functions' convention the caller passes.
        let convention = LLVMIsAFunction(callee) != nil
            ? LLVMGetFunctionCallConv(callee) : calleeConvention ?? WasmCallingConvention.tailID
        if let landingPad {
            precondition(kind == .ordinary, "a tail call cannot have a handler in its caller")
            let normal = appendBlock("invoke.cont", to: currentFunction)
            let invoke = self.invoke(wasmFunctionType(of: type), callee, arguments, normal: normal, unwind: landingPad)
            LLVMSetInstructionCallConv(invoke, convention)
            position(at: normal)
            return WasmCall(instruction: invoke, results: results(of: invoke, type, area: area))
        }
        let call = self.call(wasmFunctionType(of: type), callee, arguments)
        LLVMSetInstructionCallConv(call, convention)
        switch kind {
        case .tail:
            LLVMSetTailCallKind(call, LLVMTailCallKindMustTail)
            if type.results.isEmpty || throughMemory { LLVMBuildRetVoid(builder) } else { LLVMBuildRet(builder, call) }
            return WasmCall(instruction: call, results: [])
        case .ordinary:
            LLVMSetTailCallKind(call, LLVMTailCallKindNoTail)
            return WasmCall(instruction: call, results: results(of: call, type, area: area))
        }
    }

    private func results(of call: LLVMValueRef, _ type: FunctionType, area: LLVMValueRef?) -> [LLVMValueRef] {
        if let area {
            return type.results.indices.map { index in
                let field = LLVMBuildStructGEP2(builder, resultsStruct(type), area, UInt32(index), "")
                return LLVMBuildLoad2(builder, self.type(of: type.results[index]), field, "")!
            }
        }
        switch type.results.count {
        case 0: return []
        case 1: return [call]
        default: return type.results.indices.map { LLVMBuildExtractValue(builder, call, UInt32($0), "")! }
        }
    }

    /// An alloca at the top of the current function's entry block, so that it is a fixed slot of
    /// the frame: one in a loop body would grow the stack on every iteration.
    private func entryAlloca(_ type: LLVMTypeRef, _ name: String) -> LLVMValueRef {
        let entryBuilder = LLVMCreateBuilderInContext(context)!
        defer { LLVMDisposeBuilder(entryBuilder) }
        let entry = LLVMGetEntryBasicBlock(currentFunction)!
        if let first = LLVMGetFirstInstruction(entry) {
            LLVMPositionBuilderBefore(entryBuilder, first)
        } else {
            LLVMPositionBuilderAtEnd(entryBuilder, entry)
        }
        return LLVMBuildAlloca(entryBuilder, type, name)!
    }
}
