import CLLVM
import KilnFrontend
import KilnLLVM
import WasmParser
import WasmTypes

/// Lowers one function body to LLVM IR in a single pass that also validates it.
///
/// Each instruction goes first to the `FunctionValidator` (which owns the typing rules and throws
/// the spec's errors) and then, if the code is reachable, is emitted here. The lowering keeps its
/// own operand stack of LLVM values and its own control frames with the LLVM blocks and phis that
/// branches feed; in unreachable code it emits nothing and lets the validator alone track types.
///
/// Being an `AnyInstructionVisitor`, every visit method it does not implement leads to `visit(_:)`,
/// which refuses the instruction by name: adding a proposal shows at once which methods are missing.
struct FunctionLowering: AnyInstructionVisitor {
    typealias VisitorError = WasmError

    let ir: IRBuilder
    let context: ModuleContext
    let function: LLVMValueRef
    let signature: FunctionType
    var validator: FunctionValidator

    /// The vmctx pointer, parameter 0.
    let vmContext: LLVMValueRef
    /// One alloca per local (parameters first); SROA turns them into SSA values.
    var localSlots: [LLVMValueRef] = []
    var localTypes: [LLVMTypeRef] = []
    var stack: [LLVMValueRef] = []
    var frames: [ControlFrame] = []
    let vm: VMContextAccess
    let traps: TrapEmitter
    /// A byte of this function's frame whose address stands for the stack pointer in the
    /// interruption check of every loop iteration; nil unless the module is interruptible.
    private(set) var interruptProbe: LLVMValueRef?
    let loadWitness: LoadWitness
    /// Prologue block holding the allocas; the stack check goes here once we know it is needed.
    let entryBlock: LLVMBasicBlockRef
    let bodyBlock: LLVMBasicBlockRef
    var makesCalls = false
    /// Wasm code bytes this function's calls may still inline (InliningBudget).
    var inlineAllowance: Int
    /// Whether LLVM may unroll this function's loops (LoopUnrollBudget).
    let unrollsLoops: Bool

    /// Source locations, when compiling with debug info and the line tables cover this function.
    var debugScope: FunctionDebugScope?

    /// The offset in the module's binary of the instruction being lowered (WasmParser sets it
    /// before each visit).
    var binaryOffset: Int = 0 {
        didSet {
            validator.binaryOffset = binaryOffset
            debugScope?.locate(atBinaryOffset: binaryOffset)
        }
    }

    /// Every instruction without a lowering method arrives here: the atomic read-modify-writes,
    /// lowered from their description, and otherwise one whose lowering is not written yet (the
    /// decoder has refused those of proposals that are off or unsupported).
    mutating func visit(_ instruction: Instruction) throws(WasmError) {
        guard let rmw = AtomicReadModifyWrite(instruction) else {
            throw context.module.features.rejection(of: instruction, at: binaryOffset)
        }
        try validator.visit(instruction)
        if isReachable { lowerAtomic(rmw) }
    }

    init(ir: IRBuilder, context: ModuleContext, definedIndex: Int) throws(WasmError) {
        self.ir = ir
        self.context = context
        let module = context.module
        self.signature = module.types[Int(module.functionTypeIndices[definedIndex])]
        self.function = context.function(definedIndex)
        let bodySize = module.codes[definedIndex].expression.count
        self.inlineAllowance = context.inlining.allowance(forFunctionOfSize: bodySize)
        self.unrollsLoops = LoopUnrollBudget.allowsUnrolling(inFunctionOfSize: bodySize)
        self.validator = try FunctionValidator(module: module, definedFunctionIndex: definedIndex)
        self.vmContext = LLVMGetParam(function, 0)
        self.vm = VMContextAccess(
            ir: ir, vmContext: vmContext, aliasTags: AliasTags(ir: ir, isEnabled: context.tagsAliasDomains))
        let code = module.codes[definedIndex]
        let functionIndex = UInt32(module.importedFunctionCount + definedIndex)
        self.debugScope = context.debugInfo?.beginFunction(
            function, body: code.expression.startIndex..<code.expression.endIndex,
            name: module.functionNames[functionIndex] ?? "wasm[\(functionIndex)]")
        debugScope?.locateEntry()
        entryBlock = ir.appendBlock("entry", to: function)
        bodyBlock = ir.appendBlock("body", to: function)

        ir.position(at: entryBlock)
        self.loadWitness = LoadWitness(ir: ir, keeping: context.loadKeeping, aliasTags: vm.aliasTags)
        self.traps = TrapEmitter(ir: ir, function: function, vm: vm, loadWitness: loadWitness)
        for (index, valueType) in validator.locals.enumerated() {
            let type = ir.type(of: valueType)
            let slot = LLVMBuildAlloca(ir.builder, type, "local\(index)")!
            let initial = index < signature.parameters.count ? ir.wasmParameter(function, signature, index) : ir.zero(type)
            LLVMBuildStore(ir.builder, initial, slot)
            localSlots.append(slot)
            localTypes.append(type)
        }
        if context.interruptible { interruptProbe = LLVMBuildAlloca(ir.builder, ir.i8, "interrupt.probe")! }
        ir.position(at: bodyBlock)
        let returnBlock = ir.appendBlock("return", to: function)
        frames.append(ControlFrame(
            kind: .function, signature: FunctionType(parameters: [], results: signature.results),
            stackBase: 0, branchTarget: returnBlock, mergeBlock: returnBlock,
            mergePhis: makePhis(in: returnBlock, for: signature.results)))
    }

    /// Lowers the whole body, then closes the prologue.
    mutating func lower(_ code: Code) throws(WasmError) {
        var parser = ExpressionParser(code: code)
        do {
            while let instruction = try parser.parse() {
                try instruction(visitor: &self)
            }
        } catch let error as WasmError {
            throw error
        } catch {
            throw WasmError(.malformed, "\(error)", offset: parser.offset)
        }
        try validator.finish()
        finishPrologue()
        debugScope?.end()
    }

    private mutating func finishPrologue() {
        ir.position(at: entryBlock)
        debugScope?.locateEntry()
        consumeFuel()
        if makesCalls {
            // Call-stack exhaustion becomes a trap before the native stack runs out: the runtime
            // sets stack_limit with enough margin below it for the trap path and host calls.
            // Tagged so that copies inlined into callers can be removed after optimisation.
            StackCheckPruning.tag(checkStackLimit(at: stackPointerProbe()), ir)
        }
        LLVMBuildBr(ir.builder, bodyBlock)
    }

    /// A pointer at the native stack's current depth, for the stack check. Where LLVM inlines,
    /// `llvm.stacksave`, which StackCheckPruning finds in the copies inlining makes. Elsewhere
    /// the address of a byte in this function's own frame, which is as deep to within the frame's
    /// size (the runtime's margin covers far more): X86's fast instruction selector selects an
    /// alloca's address, while every `llvm.stacksave` sent its block to SelectionDAG (1,020
    /// functions of graphviz.wasm).
    private func stackPointerProbe() -> LLVMValueRef {
        guard !context.inlining.isEnabled else { return ir.callIntrinsic("llvm.stacksave", [ir.ptr], [], "sp") }
        return interruptProbe ?? LLVMBuildAlloca(ir.builder, ir.i8, "sp")!
    }

    /// Traps "call stack exhausted" when `stackPointer` is below vmctx.stack_limit; returns the
    /// limit's load.
    @discardableResult
    private func checkStackLimit(at stackPointer: LLVMValueRef) -> LLVMValueRef {
        let limit = vm.loadField(vmContext, ABI.VMContext.stackLimit, ir.i64, invariant: false)
        let sp = LLVMBuildPtrToInt(ir.builder, stackPointer, ir.i64, "")!
        trapIf(LLVMBuildICmp(ir.builder, LLVMIntULT, sp, limit, "exhausted")!, ABI.Trap.stackExhausted)
        return limit
    }

    /// The entry's stack check again, on every loop iteration of interruptible code:
    /// `kiln_instance_interrupt` raises the limit to the top from another thread, and the runtime
    /// reports the trap as "interrupted". The load is volatile, so that LLVM reads the limit again
    /// on every iteration; at -O2 and -O3, InterruptCheckStripMining moves it out of innermost
    /// loops into a check once per chunk of iterations.
    func checkForInterrupt() {
        guard let probe = interruptProbe else { return }
        let limit = checkStackLimit(at: probe)
        LLVMSetVolatile(limit, 1)
        InterruptCheckStripMining.markCheck(limit, ir)
    }

    /// Takes one unit of vmctx.fuel in metered code, at every function entry and on every loop
    /// iteration, and traps "all fuel consumed" when it goes below zero. The load and store are
    /// volatile, so no optimisation merges, hoists or drops them (inlining and unrolling copy
    /// them whole): every level takes the same fuel for the same run.
    func consumeFuel() {
        guard context.metered else { return }
        let address = vm.fieldAddress(vmContext, ABI.VMContext.fuel)
        let fuel = LLVMBuildLoad2(ir.builder, ir.i64, address, "fuel")!
        let left = LLVMBuildSub(ir.builder, fuel, ir.i64(UInt64(1)), "")!
        let store = LLVMBuildStore(ir.builder, left, address)!
        for access in [fuel, store] {
            LLVMSetVolatile(access, 1)
            vm.aliasTags.tag(access, .runtimeData)
        }
        trapIf(LLVMBuildICmp(ir.builder, LLVMIntSLT, left, ir.i64(UInt64(0)), "")!, ABI.Trap.outOfFuel)
    }

    // MARK: Operand stack

    var isReachable: Bool { frames.last?.isReachable ?? false }

    mutating func push(_ value: LLVMValueRef) { stack.append(value) }

    /// Pop into a local before handing the value to a non-mutating method: in `f(pop())` Swift
    /// borrows `self` for `f` before `pop` mutates it, and so copies the whole lowering state.
    mutating func pop() -> LLVMValueRef { stack.removeLast() }

    mutating func pop(_ count: Int) -> [LLVMValueRef] {
        let values = Array(stack.suffix(count))
        stack.removeLast(count)
        return values
    }

    /// Marks the rest of the current frame unreachable (after br, return, unreachable, ...).
    mutating func markUnreachable() {
        frames[frames.count - 1].isReachable = false
        stack.removeLast(stack.count - frames[frames.count - 1].stackBase)
    }

    func makePhis(in block: LLVMBasicBlockRef, for types: [ValueType]) -> [LLVMValueRef] {
        guard !types.isEmpty else { return [] }
        let current = LLVMGetInsertBlock(ir.builder)
        ir.position(at: block)
        let phis = types.map { LLVMBuildPhi(ir.builder, ir.type(of: $0), "")! }
        if let current { ir.position(at: current) }
        return phis
    }

    var numeric: NumericLowering { NumericLowering(ir: ir, trapIf: traps.trapIf, relaxed: context.relaxedSimd) }

    func trapIf(_ condition: LLVMValueRef, _ code: UInt32) { traps.trapIf(condition, code) }
}
