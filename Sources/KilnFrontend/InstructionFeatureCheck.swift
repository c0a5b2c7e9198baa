import WasmParser

/// Rejects an instruction of a proposal the module's feature set does not allow, by name, at its
/// offset: the one place where instructions are checked against the feature set.
///
/// WasmParser decodes most proposals' opcodes whatever its feature set, so the decoder runs this
/// over every body. It sees each instruction as a value (AnyInstructionVisitor funnels every
/// visit method into `visit(_:)`) and asks `Feature.introducing` for its proposal.
struct InstructionFeatureCheck: AnyInstructionVisitor {
    typealias VisitorError = WasmError

    var binaryOffset = 0
    let features: FeatureSet
    /// What the bodies checked so far use that changes how the module is compiled.
    var seen = Uses()

    /// Instructions whose presence anywhere in a module changes how all of it is compiled.
    struct Uses {
        /// throw, throw_ref, try_table (or the legacy ones): functions must be able to unwind.
        var exceptionHandling = false
        /// return_call, return_call_indirect, return_call_ref: every function needs the
        /// convention that guarantees tail calls (WasmCallingConvention).
        var tailCalls = false
        /// Tables that table.set, table.grow, table.fill, or table.copy and table.init as their
        /// destination may change: the others keep what instantiation put in them (FixedTables).
        var changedTables: Set<UInt32> = []
        /// Tables that call_indirect or return_call_indirect call through.
        var calledTables: Set<UInt32> = []
        /// Tables whose elements table.get, or table.copy as its source, hands out.
        var readTables: Set<UInt32> = []
        /// Functions that ref.func names in a body.
        var referencedFunctions: Set<UInt32> = []

        mutating func formUnion(_ other: Uses) {
            exceptionHandling = exceptionHandling || other.exceptionHandling
            tailCalls = tailCalls || other.tailCalls
            changedTables.formUnion(other.changedTables)
            calledTables.formUnion(other.calledTables)
            readTables.formUnion(other.readTables)
            referencedFunctions.formUnion(other.referencedFunctions)
        }
    }

    mutating func visit(_ instruction: Instruction) throws(WasmError) {
        let feature = Feature.introducing(instruction)
        if !features.allows(feature) {
            throw features.rejection(of: instruction, at: binaryOffset)
        }
        if feature == .exceptionHandling || feature == .legacyExceptionHandling { seen.exceptionHandling = true }
        switch instruction {
        case .returnCall, .returnCallRef: seen.tailCalls = true
        case .returnCallIndirect(_, let table):
            seen.tailCalls = true
            seen.calledTables.insert(table)
        case .callIndirect(_, let table): seen.calledTables.insert(table)
        case .tableSet(let table), .tableGrow(let table), .tableFill(let table), .tableInit(_, let table):
            seen.changedTables.insert(table)
        case .tableCopy(let destination, let source):
            seen.changedTables.insert(destination)
            seen.readTables.insert(source)
        case .tableGet(let table): seen.readTables.insert(table)
        case .refFunc(let function): seen.referencedFunctions.insert(function)
        default: break
        }
    }

    /// Checks every body; returns what they use.
    static func check(_ module: WasmModule) throws(WasmError) -> Uses {
        var uses = Uses()
        for (index, code) in module.codes.enumerated() {
            let (undecodableOffset, seen) = try check(code, module.features)
            uses.formUnion(seen)
            guard let undecodable = undecodableOffset, module.binary.indices.contains(undecodable) else { continue }
            // A binary-format error is the validator's to report, in the spec's words, unless the
            // opcode belongs to a proposal WasmParser decodes only when told to, or never.
            let opcode = module.binary[undecodable]
            if let (feature, name) = Feature.assigning(opcode: opcode) {
                throw WasmError.unavailable(feature, name, under: module.features, rejectedAs: "illegal opcode", offset: undecodable)
            }
            if opcode == 0xFB, let body = decodedWithGC(module, codeIndex: index) {
                _ = try check(body, module.features)
            }
        }
        return uses
    }

    /// Checks one body up to its end or to the first instruction WasmParser cannot decode, whose
    /// offset it returns, and what it uses.
    private static func check(_ code: Code, _ features: FeatureSet) throws(WasmError) -> (Int?, Uses) {
        var check = InstructionFeatureCheck(features: features)
        var parser = ExpressionParser(code: code)
        while true {
            let start = parser.offset
            let next: ExpressionParser.Visit?
            do {
                next = try parser.parse()
            } catch {
                return (start, check.seen)
            }
            guard let visit = next else { return (nil, check.seen) }
            try visit(visitor: &check)
        }
    }

    /// Body `codeIndex` as WasmParser reads it with GC on (it refuses the 0xFB prefix otherwise),
    /// so that the GC instruction can be named.
    private static func decodedWithGC(_ module: WasmModule, codeIndex: Int) -> Code? {
        var features = module.features
        features.insert(.gc)
        features.insert(.typedFunctionReferences)
        guard let decoded = try? ModuleDecoder.decodeStructure(module.binary, features: features),
            codeIndex < decoded.codes.count
        else { return nil }
        return decoded.codes[codeIndex]
    }
}
