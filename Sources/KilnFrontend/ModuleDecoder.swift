import WasmParser
import WasmTypes

/// Decodes a WebAssembly 2.0 binary into a `WasmModule`.
///
/// Decoding checks the binary format only; `ModuleValidator` and `FunctionValidator` check the
/// validation rules. Every input either decodes or fails with a `.malformed` error: nothing in
/// here traps on hostile bytes, and allocations are bounded by the input size (WasmParser reads
/// vectors element by element, so a huge declared count runs into the end of the input).
public enum ModuleDecoder {
    /// WebAssembly 2.0: reference types, SIMD, bulk memory, multi-value, sign extension and
    /// non-trapping float-to-int (the last four are always on in WasmParser). Threads, GC,
    /// exceptions, memory64, tail calls, typed function references and multi-memory stay off,
    /// so their encodings are rejected as malformed.
    public static let features: WasmFeatureSet = [.referenceTypes, .simd]

    public static func decode(_ bytes: [UInt8]) throws(WasmError) -> WasmModule {
        try PrefixedOpcodeCanonicalizer.canonicalize(try decodeStructure(bytes))
    }

    /// Decoding proper, without the rewriting of over-long prefixed sub-opcodes.
    static func decodeStructure(_ bytes: [UInt8]) throws(WasmError) -> WasmModule {
        let scan = SectionScanner(bytes)
        var module = WasmModule()
        module.binary = bytes
        var parser = Parser(bytes: bytes, features: features)
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
                }
            case .typeSection(let groups):
                module.types = try functionTypes(groups, offset: parser.offset)
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
            case .tagSection:
                throw WasmError(.malformed, "malformed section id", offset: parser.offset)
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
        try checkWithin20(module)
        module.declaredFunctionReferences = declaredFunctionReferences(of: module)
        return module
    }

    /// Decodes, then validates the module and every function body.
    public static func decodeAndValidate(_ bytes: [UInt8]) throws(WasmError) -> WasmModule {
        let module = try decode(bytes)
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

    /// Without the GC feature every group is one final function type; anything else is a
    /// proposal beyond 2.0.
    private static func functionTypes(_ groups: [RecursiveGroup], offset: Int) throws(WasmError) -> [FunctionType] {
        var types: [FunctionType] = []
        types.reserveCapacity(groups.count)
        for group in groups {
            guard group.types.count == 1, let subtype = group.types.first, subtype.isFinal, subtype.supertypes.isEmpty,
                case .function(let type) = subtype.body
            else {
                throw WasmError(.malformed, "malformed function type: GC type definitions are not part of WebAssembly 2.0", offset: offset)
            }
            types.append(type)
        }
        return types
    }

    /// Defensive check that nothing beyond 2.0 got through the feature set: only the 2.0 value
    /// types, 32-bit unshared limits, no tags.
    private static func checkWithin20(_ module: WasmModule) throws(WasmError) {
        func check(_ type: ValueType, _ section: UInt8) throws(WasmError) {
            guard OperandType(type) != .unsupported else {
                throw WasmError(.malformed, "malformed value type: \(type) is not part of WebAssembly 2.0", offset: module.sectionOffsets[section])
            }
        }
        func check(_ limits: Limits, _ section: UInt8) throws(WasmError) {
            if limits.isMemory64 || limits.shared {
                throw WasmError(.malformed, "malformed limits flags: memory64 and shared memories are not part of WebAssembly 2.0", offset: module.sectionOffsets[section])
            }
        }
        for type in module.types {
            for t in type.parameters { try check(t, 1) }
            for t in type.results { try check(t, 1) }
        }
        for entry in module.imports {
            switch entry.descriptor {
            case .function: break
            case .table(let t): try check(.ref(t.elementType), 2); try check(t.limits, 2)
            case .memory(let m): try check(m, 2)
            case .global(let g): try check(g.valueType, 2)
            case .tag: throw WasmError(.malformed, "malformed import kind", offset: module.sectionOffsets[2])
            }
        }
        for table in module.tables {
            try check(.ref(table.type.elementType), 4)
            try check(table.type.limits, 4)
            if table.initializer != nil {
                throw WasmError(.malformed, "malformed reference type: table initializers are not part of WebAssembly 2.0", offset: module.sectionOffsets[4])
            }
        }
        for memory in module.memories { try check(memory.type, 5) }
        for global in module.globals { try check(global.type.valueType, 6) }
        for export in module.exports {
            if case .tag = export.descriptor {
                throw WasmError(.malformed, "malformed export kind", offset: module.sectionOffsets[7])
            }
        }
        for element in module.elements { try check(.ref(element.type), 9) }
        for code in module.codes {
            for t in code.locals { try check(t, 10) }
        }
    }

    /// The spec's C.refs: functions named by `ref.func` outside function bodies (element
    /// segments, global initialisers) and by exports.
    static func declaredFunctionReferences(of module: WasmModule) -> Set<UInt32> {
        var refs = Set<UInt32>()
        func scan(_ expression: ConstExpression) {
            for instruction in expression {
                if case .refFunc(let index) = instruction { refs.insert(index) }
            }
        }
        for global in module.globals { scan(global.initializer) }
        for element in module.elements {
            for expression in element.initializer { scan(expression) }
            if case .active(_, let offset) = element.mode { scan(offset) }
        }
        for export in module.exports {
            if case .function(let index) = export.descriptor { refs.insert(index) }
        }
        return refs
    }
}
