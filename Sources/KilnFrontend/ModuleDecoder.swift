import WasmParser
import WasmTypes

/// Decodes a WebAssembly binary into a `WasmModule`, accepting the proposals of a `FeatureSet`.
///
/// Decoding checks the binary format only; `ModuleValidator` and `FunctionValidator` check the
/// validation rules. Every input either decodes or fails with a `WasmError`: nothing in
/// here traps on hostile bytes, and allocations are bounded by the input size (WasmParser reads
/// vectors element by element, so a huge declared count runs into the end of the input). A
/// construct of a proposal the set does not allow is reported by the proposal's name.
public enum ModuleDecoder {
    public static func decode(_ bytes: [UInt8], features: FeatureSet = .default) throws(WasmError) -> WasmModule {
        var module: WasmModule
        do {
            module = try PrefixedOpcodeCanonicalizer.canonicalize(try decodeStructure(bytes, features: features))
        } catch {
            throw ProposalDiagnosis.explain(error, in: bytes, features: features)
        }
        if features.allows(.legacyExceptionHandling) {
            module = try LegacyExceptionRewriter.rewrite(module)
        }
        let bodiesUse = try InstructionFeatureCheck.check(module)
        module.usesExceptionHandling = bodiesUse.exceptionHandling || !module.allTagTypeIndices.isEmpty || !module.legacyOpcodes.isEmpty
        module.usesTailCalls = bodiesUse.tailCalls
        module.tablesChangedByCode = bodiesUse.changedTables
        module.tablesCalledThrough = bodiesUse.calledTables
        module.tablesReadByCode = bodiesUse.readTables
        module.functionsReferencedByCode = bodiesUse.referencedFunctions
        return module
    }

    /// Decoding proper, without the rewriting of over-long prefixed sub-opcodes.
    static func decodeStructure(_ bytes: [UInt8], features: FeatureSet) throws(WasmError) -> WasmModule {
        let scan = SectionScanner(bytes)
        var module = WasmModule()
        module.binary = bytes
        module.features = features
        var parserFeatures = features.parserFeatures
        if features.allows(.typedFunctionReferences), let types = scan.sections.first(where: { $0.id == 1 }),
            RecursionGroupScan.hasRecursionGroup(bytes, typeSection: types)
        {
            // GC constructs this lets WasmParser read are refused by proposal: type definitions
            // below, value types by ModuleFeatureCheck, instructions by InstructionFeatureCheck.
            parserFeatures.formUnion(.gc)
        }
        var parser = Parser(bytes: bytes, features: parserFeatures)
        var sectionIndex = 0
        var currentSection: UInt8? = nil
        var sawNameSection = false

        func mapped(_ error: WasmParserError, at fallback: Int) -> WasmError {
            ParserErrorMapping(bytes: bytes[...], sectionID: currentSection, fallbackOffset: fallback).map(error)
        }

        // A broken header is reported before anything else.
        if let error = scan.error, (error.offset ?? 0) < 8 { throw error }

        while true {
            if sectionIndex > 0 {
                // Payload k (k >= 1) is section k-1 of the scan. Where the scan stopped on a
                // broken section header, report that instead of letting WasmParser misread it.
                let index = sectionIndex - 1
                if index < scan.sections.count {
                    currentSection = scan.sections[index].id
                    module.sectionOffsets[scan.sections[index].id] = scan.sections[index].start
                    if currentSection == 10 { module.codeSectionContentStart = scan.sections[index].contentStart }
                    // WasmParser knows the tag section only with exceptions on: without them it
                    // is refused by name before WasmParser reads it.
                    if currentSection == 13, !features.allows(.exceptionHandling) {
                        throw WasmError.unavailable(
                            .exceptionHandling, "a tag section", under: features, rejectedAs: "malformed section id",
                            offset: scan.sections[index].start)
                    }
                } else if let error = scan.error {
                    // The reference decoder reads function bodies in line, so a malformed body
                    // is reported before a broken section that follows it.
                    try checkBodiesDecode(module)
                    throw error
                }
            }
            let payload: ParsingPayload?
            do {
                payload = try parser.parseNext()
            } catch {
                throw mapped(error, at: parser.offset)
            }
            guard let payload else { break }
            sectionIndex += 1
            switch payload {
            case .header:
                break
            case .customSection(let section):
                if section.name == "name", !sawNameSection {
                    sawNameSection = true
                    module.functionNames = NameSectionReader.functionNames(section.bytes)
                } else if section.name.hasPrefix(".debug_"), module.debugSections[section.name] == nil {
                    module.debugSections[section.name] = section.bytes
                }
            case .typeSection(let groups):
                module.typeGroupSizes = groups.map(\.types.count)
                module.types = try functionTypes(groups, offset: parser.offset, features: features)
            case .importSection(let imports):
                module.imports = imports
            case .functionSection(let indices):
                module.functionTypeIndices = indices
            case .tableSection(let tables):
                module.tables = tables
            case .memorySection(let memories):
                module.memories = memories
            case .globalSection(let globals):
                module.globals = globals
            case .tagSection(let tags):
                module.tags = tags
            case .exportSection(let exports):
                module.exports = exports
            case .startSection(let index):
                module.start = index
            case .elementSection(let elements):
                module.elements = elements
            case .codeSection(let codes):
                module.codes = codes
                module.codeSectionEnd = parser.offset
            case .dataSection(let datas):
                module.datas = datas
            case .dataCount(let count):
                module.dataCount = count
            }
        }
        guard module.functionTypeIndices.count == module.codes.count else {
            throw WasmError(.malformed, "function and code section have inconsistent lengths", offset: module.sectionOffsets[10] ?? module.sectionOffsets[3] ?? bytes.count)
        }
        if let dataCount = module.dataCount, Int(dataCount) != module.datas.count {
            throw WasmError(.malformed, "data count and data section have inconsistent lengths", offset: module.sectionOffsets[11] ?? module.sectionOffsets[12] ?? bytes.count)
        }
        try ModuleFeatureCheck.check(module)
        module.declaredFunctionReferences = declaredFunctionReferences(of: module)
        return module
    }

    /// Decodes, then validates the module and every function body.
    public static func decodeAndValidate(_ bytes: [UInt8], features: FeatureSet = .default) throws(WasmError) -> WasmModule {
        let module = try decode(bytes, features: features)
        try ModuleValidator.validate(module)
        try FunctionValidator.validate(module: module)
        return module
    }

    /// Parses (without validating) every body, throwing the first binary-format error.
    private static func checkBodiesDecode(_ module: WasmModule) throws(WasmError) {
        for code in module.codes {
            var parser = ExpressionParser(code: code)
            do {
                while try parser.parse() != nil {}
            } catch {
                throw ParserErrorMapping(
                    bytes: code.expression, sectionID: 10, baseOffset: code.expression.startIndex, fallbackOffset: parser.offset
                ).map(error)
            }
        }
    }

    /// Kiln compiles final function types without supertypes, alone or in recursion groups
    /// (with typed function references); struct and array types and declared subtyping are GC.
    private static func functionTypes(_ groups: [RecursiveGroup], offset: Int, features: FeatureSet) throws(WasmError) -> [FunctionType] {
        var types: [FunctionType] = []
        types.reserveCapacity(groups.count)
        for group in groups {
            if group.types.count != 1, !features.allows(.typedFunctionReferences) {
                throw WasmError.unavailable(.gc, "a recursion group", under: features, rejectedAs: "malformed function type", offset: offset)
            }
            for subtype in group.types {
                guard subtype.isFinal, subtype.supertypes.isEmpty, case .function(let type) = subtype.body else {
                    throw WasmError.unavailable(.gc, "a GC type definition", under: features, rejectedAs: "malformed function type", offset: offset)
                }
                types.append(type)
            }
        }
        return types
    }

    /// The spec's C.refs: functions named by `ref.func` outside function bodies (element
    /// segments, global and table initialisers) and by exports; without the segments that
    /// `leavingOut` picks, if any (ConventionChoice leaves out those of tables only the module reaches).
    public static func declaredFunctionReferences(
        of module: WasmModule, leavingOut isLeftOut: (ElementSegment) -> Bool = { _ in false }
    ) -> Set<UInt32> {
        var refs = Set<UInt32>()
        func scan(_ expression: ConstExpression) {
            for instruction in expression {
                if case .refFunc(let index) = instruction { refs.insert(index) }
            }
        }
        for global in module.globals { scan(global.initializer) }
        for table in module.tables { scan(table.initializer ?? []) }
        for element in module.elements where !isLeftOut(element) {
            for expression in element.initializer { scan(expression) }
            if case .active(_, let offset) = element.mode { scan(offset) }
        }
        for export in module.exports {
            if case .function(let index) = export.descriptor { refs.insert(index) }
        }
        return refs
    }
}
