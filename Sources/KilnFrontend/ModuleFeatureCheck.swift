import WasmParser
import WasmTypes

/// Checks the parts of a decoded module outside function bodies against its feature set: the
/// constructs of later proposals that WasmParser decodes even when told not to (tags, shared and
/// 64-bit limits, typed references, table initialisers), reported by proposal.
///
/// WasmParser's module structures carry no offsets, so these report the offset of the section.
enum ModuleFeatureCheck {
    static func check(_ module: WasmModule) throws(WasmError) {
        let features = module.features
        func at(_ section: UInt8) -> Int? { module.sectionOffsets[section] }
        func check(_ type: ValueType, _ section: UInt8) throws(WasmError) {
            if let (feature, name) = introducing(type), !features.allows(feature) {
                throw WasmError.unavailable(feature, name, under: features, rejectedAs: "malformed value type", offset: at(section))
            }
        }
        // funcref is WebAssembly 1.0's one table element type; reference types added the others.
        func checkElement(_ reference: ReferenceType, _ section: UInt8) throws(WasmError) {
            if reference != .funcRef { try check(.ref(reference), section) }
        }
        func check(_ limits: Limits, _ section: UInt8, _ what: String) throws(WasmError) {
            if limits.shared, !features.allows(.threads) {
                throw WasmError.unavailable(.threads, "a shared \(what)", under: features, rejectedAs: "malformed limits flags", offset: at(section))
            }
            if limits.isMemory64, !features.allows(.memory64) {
                throw WasmError.unavailable(.memory64, "a 64-bit \(what)", under: features, rejectedAs: "malformed limits flags", offset: at(section))
            }
        }
        func rejectTag(_ construct: String, _ section: UInt8, _ wording: String) throws(WasmError) {
            if !features.allows(.exceptionHandling) {
                throw WasmError.unavailable(.exceptionHandling, construct, under: features, rejectedAs: wording, offset: at(section))
            }
        }

        for type in module.types {
            if type.results.count > 1, !features.allows(.multiValue) {
                throw WasmError.unavailable(.multiValue, "a function type with \(type.results.count) results", under: features,
                    rejectedAs: "invalid result arity", kind: .invalid, offset: at(1))
            }
            for t in type.parameters + type.results { try check(t, 1) }
        }
        for entry in module.imports {
            switch entry.descriptor {
            case .function: break
            case .table(let t): try checkElement(t.elementType, 2); try check(t.limits, 2, "table")
            case .memory(let m): try check(m, 2, "memory")
            case .global(let g): try check(g.valueType, 2)
            case .tag: try rejectTag("a tag import", 2, "malformed import kind")
            }
        }
        for table in module.tables {
            try checkElement(table.type.elementType, 4)
            try check(table.type.limits, 4, "table")
            if table.initializer != nil, !features.allows(.typedFunctionReferences) {
                throw WasmError.unavailable(.typedFunctionReferences, "a table initializer", under: features, rejectedAs: "malformed reference type", offset: at(4))
            }
        }
        // Before reference types a module had at most one table, as before multi-memory one memory.
        if module.allTableTypes.count > 1, !features.allows(.referenceTypes) {
            throw WasmError.unavailable(.referenceTypes, "a second table", under: features, rejectedAs: "multiple tables",
                kind: .invalid, offset: at(module.tables.isEmpty ? 2 : 4))
        }
        for memory in module.memories { try check(memory.type, 5, "memory") }
        // Before any body is read: without multi-memory WasmParser misreads a memarg that names a
        // memory, and the instruction it then trips over would be blamed instead.
        try ModuleValidator.checkMemoryCount(module)
        for global in module.globals { try check(global.type.valueType, 6) }
        for export in module.exports {
            if case .tag = export.descriptor { try rejectTag("a tag export", 7, "malformed export kind") }
        }
        for element in module.elements { try checkElement(element.type, 9) }
        for code in module.codes {
            for t in code.locals { try check(t, 10) }
        }
    }

    /// The proposal that introduced a value type, with the type's text-format name; nil for
    /// the four number types of WebAssembly 1.0.
    static func introducing(_ type: ValueType) -> (Feature, String)? {
        switch type {
        case .i32, .i64, .f32, .f64: return nil
        case .v128: return (.simd, "v128")
        case .ref(let reference): return introducing(reference)
        }
    }

    static func introducing(_ reference: ReferenceType) -> (Feature, String)? {
        guard reference.isNullable, case .abstract(let heapType) = reference.heapType else {
            return (.typedFunctionReferences, "a typed reference")
        }
        switch heapType {
        case .funcRef: return (.referenceTypes, "funcref")
        case .externRef: return (.referenceTypes, "externref")
        case .exnRef: return (.exceptionHandling, "exnref")
        case .noExn: return (.exceptionHandling, "nullexnref")
        case .any: return (.gc, "anyref")
        case .eq: return (.gc, "eqref")
        case .i31: return (.gc, "i31ref")
        case .structRef: return (.gc, "structref")
        case .arrayRef: return (.gc, "arrayref")
        case .noneRef: return (.gc, "nullref")
        case .noExtern: return (.gc, "nullexternref")
        case .noFunc: return (.gc, "nullfuncref")
        }
    }
}
