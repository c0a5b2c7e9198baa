import CLLVM

/// One LLVM module under construction, with its context, an instruction builder and the types
/// and intrinsics that lowering uses everywhere. A thin layer: callers still speak the LLVM C API
/// for anything not wrapped here, through `context`, `module` and `builder`.
public final class IRBuilder {
    public let context: LLVMContextRef
    public let module: LLVMModuleRef
    public let builder: LLVMBuilderRef

    public let void: LLVMTypeRef
    public let i1: LLVMTypeRef
    public let i8: LLVMTypeRef
    public let i16: LLVMTypeRef
    public let i32: LLVMTypeRef
    public let i64: LLVMTypeRef
    public let i128: LLVMTypeRef
    public let f32: LLVMTypeRef
    public let f64: LLVMTypeRef
    /// Wasm's v128 is carried as <2 x i64> between instructions; SIMD lowering bitcasts per shape.
    public let v128: LLVMTypeRef
    /// The one opaque pointer type (address space 0).
    public let ptr: LLVMTypeRef

    private var intrinsicCache: [String: (function: LLVMValueRef, type: LLVMTypeRef)] = [:]
    private var metadataCache: [String: LLVMValueRef] = [:]

    /// - Parameter keepsValueNames: whether instructions and blocks keep the names lowering
    ///   gives them. Naming costs time in lowering and in every pass that copies or erases a value
    ///   (3% of a fast-tier compile); names matter only to someone reading the IR.
    public init(moduleName: String, keepsValueNames: Bool = true) {
        context = LLVMContextCreate()
        LLVMContextSetDiscardValueNames(context, keepsValueNames ? 0 : 1)
        module = LLVMModuleCreateWithNameInContext(moduleName, context)
        builder = LLVMCreateBuilderInContext(context)
        void = LLVMVoidTypeInContext(context)
        i1 = LLVMInt1TypeInContext(context)
        i8 = LLVMInt8TypeInContext(context)
        i16 = LLVMInt16TypeInContext(context)
        i32 = LLVMInt32TypeInContext(context)
        i64 = LLVMInt64TypeInContext(context)
        i128 = LLVMInt128TypeInContext(context)
        f32 = LLVMFloatTypeInContext(context)
        f64 = LLVMDoubleTypeInContext(context)
        v128 = LLVMVectorType(LLVMInt64TypeInContext(context), 2)
        ptr = LLVMPointerTypeInContext(context, 0)
    }

    deinit {
        LLVMDisposeBuilder(builder)
        LLVMDisposeModule(module)
        LLVMContextDispose(context)
    }

    // MARK: Types and constants

    public func vector(_ element: LLVMTypeRef, _ count: UInt32) -> LLVMTypeRef { LLVMVectorType(element, count) }

    public func functionType(_ result: LLVMTypeRef, _ params: [LLVMTypeRef], varArgs: Bool = false) -> LLVMTypeRef {
        var params: [LLVMTypeRef?] = params
        return params.withUnsafeMutableBufferPointer {
            LLVMFunctionType(result, $0.baseAddress, UInt32($0.count), varArgs ? 1 : 0)
        }
    }

    public func structType(_ elements: [LLVMTypeRef]) -> LLVMTypeRef {
        var elements: [LLVMTypeRef?] = elements
        return elements.withUnsafeMutableBufferPointer {
            LLVMStructTypeInContext(context, $0.baseAddress, UInt32($0.count), 0)
        }
    }

    public func constInt(_ type: LLVMTypeRef, _ value: UInt64) -> LLVMValueRef { LLVMConstInt(type, value, 0) }
    public func i32(_ value: UInt32) -> LLVMValueRef { LLVMConstInt(i32, UInt64(value), 0) }
    public func i32(_ value: Int32) -> LLVMValueRef { LLVMConstInt(i32, UInt64(UInt32(bitPattern: value)), 0) }
    public func i64(_ value: UInt64) -> LLVMValueRef { LLVMConstInt(i64, value, 0) }
    public func i64(_ value: Int64) -> LLVMValueRef { LLVMConstInt(i64, UInt64(bitPattern: value), 0) }
    /// Float constants from their bit patterns, so NaN payloads survive exactly.
    public func f32(bits: UInt32) -> LLVMValueRef { LLVMConstBitCast(LLVMConstInt(i32, UInt64(bits), 0), f32) }
    public func f64(bits: UInt64) -> LLVMValueRef { LLVMConstBitCast(LLVMConstInt(i64, bits, 0), f64) }
    public func nullPointer() -> LLVMValueRef { LLVMConstPointerNull(ptr) }

    /// The zero value of a type (locals start at zero).
    public func zero(_ type: LLVMTypeRef) -> LLVMValueRef { LLVMConstNull(type) }

    /// An attribute without arguments ("nounwind") or with an integer one ("uwtable", 2).
    public func enumAttribute(_ name: String, _ value: UInt64 = 0) -> LLVMAttributeRef {
        LLVMCreateEnumAttribute(context, LLVMGetEnumAttributeKindForName(name, name.utf8.count), value)
    }

    // MARK: Intrinsics

    /// Declaration of an overloaded or plain intrinsic, e.g. ("llvm.ctlz", [i32]).
    public func intrinsic(_ name: String, _ overloads: [LLVMTypeRef]) -> (function: LLVMValueRef, type: LLVMTypeRef) {
        let key = name + overloads.map { String(UInt(bitPattern: $0)) }.joined(separator: ",")
        if let cached = intrinsicCache[key] { return cached }
        let id = LLVMLookupIntrinsicID(name, name.utf8.count)
        precondition(id != 0, "unknown LLVM intrinsic \(name)")
        var overloads: [LLVMTypeRef?] = overloads
        let result = overloads.withUnsafeMutableBufferPointer { buffer in
            (LLVMGetIntrinsicDeclaration(module, id, buffer.baseAddress, buffer.count),
             LLVMIntrinsicGetType(context, id, buffer.baseAddress, buffer.count)!)
        }
        let entry = (function: result.0!, type: result.1)
        intrinsicCache[key] = entry
        return entry
    }

    // MARK: Metadata

    /// The metadata value named `key`, made once per module by `make`: a lowering attaches the
    /// same few nodes (alias tags, invariance) to most memory accesses, and building one means
    /// several uniquing lookups in the context.
    public func cachedMetadata(_ key: String, make: () -> LLVMValueRef) -> LLVMValueRef {
        if let cached = metadataCache[key] { return cached }
        let made = make()
        metadataCache[key] = made
        return made
    }

    /// Call an intrinsic by name.
    @discardableResult
    public func callIntrinsic(_ name: String, _ overloads: [LLVMTypeRef], _ args: [LLVMValueRef], _ label: String = "") -> LLVMValueRef {
        let (function, type) = intrinsic(name, overloads)
        return call(type, function, args, label)
    }

    @discardableResult
    public func call(_ functionType: LLVMTypeRef, _ callee: LLVMValueRef, _ args: [LLVMValueRef], _ label: String = "") -> LLVMValueRef {
        var args: [LLVMValueRef?] = args
        return args.withUnsafeMutableBufferPointer {
            LLVMBuildCall2(builder, functionType, callee, $0.baseAddress, UInt32($0.count), label)
        }
    }

    /// A call that may unwind into `unwind` (a landing pad) and otherwise continues in `normal`.
    public func invoke(
        _ functionType: LLVMTypeRef, _ callee: LLVMValueRef, _ args: [LLVMValueRef],
        normal: LLVMBasicBlockRef, unwind: LLVMBasicBlockRef, _ label: String = ""
    ) -> LLVMValueRef {
        var args: [LLVMValueRef?] = args
        return args.withUnsafeMutableBufferPointer {
            LLVMBuildInvoke2(builder, functionType, callee, $0.baseAddress, UInt32($0.count), normal, unwind, label)
        }
    }

    // MARK: Blocks

    public var currentFunction: LLVMValueRef { LLVMGetBasicBlockParent(LLVMGetInsertBlock(builder)) }

    public func appendBlock(_ name: String, to function: LLVMValueRef? = nil) -> LLVMBasicBlockRef {
        LLVMAppendBasicBlockInContext(context, function ?? currentFunction, name)
    }

    public func position(at block: LLVMBasicBlockRef) { LLVMPositionBuilderAtEnd(builder, block) }

    /// `br condition, whenTrue, whenFalse`, where `condition` is `rarely` only exceptionally (a
    /// trap, a slow path): the branch weights (`!prof branch_weights`) tell the optimiser and the
    /// code generator so, and the usual edge falls through.
    public func conditionalBranch(
        _ condition: LLVMValueRef, _ whenTrue: LLVMBasicBlockRef, _ whenFalse: LLVMBasicBlockRef, rarely: Bool
    ) {
        let branch = LLVMBuildCondBr(builder, condition, whenTrue, whenFalse)!
        let (rare, usual) = (i32(UInt32(1)), i32(UInt32(1 << 20)))
        let kind = LLVMGetMDKindIDInContext(context, "prof", 4)
        var operands: [LLVMMetadataRef?] = [
            LLVMMDStringInContext2(context, "branch_weights", 14),
            LLVMValueAsMetadata(rarely ? rare : usual),
            LLVMValueAsMetadata(rarely ? usual : rare),
        ]
        let node = operands.withUnsafeMutableBufferPointer { LLVMMDNodeInContext2(context, $0.baseAddress, 3) }
        LLVMSetMetadata(branch, kind, LLVMMetadataAsValue(context, node))
    }
}
