import WasmParser
import WasmTypes

/// The module-level validation rules of WebAssembly 2.0 (everything outside function bodies,
/// which `FunctionValidator` checks), with the spec test suite's wording.
public enum ModuleValidator {
    /// 2^16 pages of 64 KiB: the whole 32-bit address space.
    static let maximumMemoryPages: UInt64 = 65536
    static let maximumMemory64Pages: UInt64 = 1 << 48

    public static func validate(_ module: WasmModule) throws(WasmError) {
        func at(_ section: UInt8) -> Int? { module.sectionOffsets[section] }
        let typeCount = module.types.count
        try checkTypeIndices(module)

        for entry in module.imports {
            switch entry.descriptor {
            case .function(let typeIndex):
                guard Int(typeIndex) < typeCount else { throw WasmError(.invalid, "unknown type \(typeIndex)", offset: at(2)) }
            case .table(let table):
                try checkTableLimits(table.limits, offset: at(2))
            case .memory(let memory):
                try checkMemoryLimits(memory, offset: at(2))
            case .tag(let typeIndex):
                try checkTagType(typeIndex, in: module, offset: at(2))
            case .global:
                break
            }
        }
        for tag in module.tags {
            try checkTagType(tag.type, in: module, offset: at(13))
        }
        for typeIndex in module.functionTypeIndices where Int(typeIndex) >= typeCount {
            throw WasmError(.invalid, "unknown type \(typeIndex)", offset: at(3))
        }
        let tableInitializers = ConstExpressionValidator(module: module, offset: at(4))
        for table in module.tables {
            try checkTableLimits(table.type.limits, offset: at(4))
            // A table of non-null references has no null to start with: it needs an initialiser.
            let elementType = module.operandType(table.type.elementType)
            if let initializer = table.initializer {
                try tableInitializers.validate(initializer, expecting: elementType)
            } else if !elementType.isDefaultable {
                throw WasmError(.invalid, "type mismatch", offset: at(4))
            }
        }
        for memory in module.memories {
            try checkMemoryLimits(memory.type, offset: at(5))
        }
        try checkMemoryCount(module)

        let globals = ConstExpressionValidator(module: module, offset: at(6))
        for global in module.globals {
            try globals.validate(global.initializer, expecting: module.operandType(global.type.valueType))
        }

        let elements = ConstExpressionValidator(module: module, offset: at(9))
        for segment in module.elements {
            let elementType = module.operandType(segment.type)
            for initializer in segment.initializer {
                try elements.validate(initializer, expecting: elementType)
            }
            if case .active(let table, let offset) = segment.mode {
                guard Int(table) < module.allTableTypes.count else {
                    throw WasmError(.invalid, "unknown table \(table)", offset: at(9))
                }
                guard elementType.matches(module.operandType(module.allTableTypes[Int(table)].elementType)) else {
                    throw WasmError(.invalid, "type mismatch", offset: at(9))
                }
                try elements.validate(offset, expecting: module.allTableTypes[Int(table)].limits.isMemory64 ? .i64 : .i32)
            }
        }

        let datas = ConstExpressionValidator(module: module, offset: at(11))
        for segment in module.datas {
            guard case .active(let active) = segment else { continue }
            guard Int(active.index) < module.allMemoryTypes.count else {
                throw WasmError(.invalid, "unknown memory \(active.index)", offset: at(11))
            }
            try datas.validate(active.offset, expecting: module.allMemoryTypes[Int(active.index)].isMemory64 ? .i64 : .i32)
        }

        if let start = module.start {
            guard Int(start) < module.allFunctionTypeIndices.count else {
                throw WasmError(.invalid, "unknown function \(start)", offset: at(8))
            }
            let typeIndex = Int(module.allFunctionTypeIndices[Int(start)])
            guard typeIndex < typeCount else { throw WasmError(.invalid, "unknown type \(typeIndex)", offset: at(8)) }
            let type = module.types[typeIndex]
            guard type.parameters.isEmpty, type.results.isEmpty else {
                throw WasmError(.invalid, "start function", offset: at(8))
            }
        }

        // Names are compared as byte strings: Swift's String equality would identify
        // canonically equivalent but differently encoded names, which are distinct in Wasm.
        var exportNames = Set<[UInt8]>()
        exportNames.reserveCapacity(module.exports.count)
        for export in module.exports {
            guard exportNames.insert(Array(export.name.utf8)).inserted else {
                throw WasmError(.invalid, "duplicate export name", offset: at(7))
            }
            switch export.descriptor {
            case .function(let index) where Int(index) >= module.allFunctionTypeIndices.count:
                throw WasmError(.invalid, "unknown function \(index)", offset: at(7))
            case .table(let index) where Int(index) >= module.allTableTypes.count:
                throw WasmError(.invalid, "unknown table \(index)", offset: at(7))
            case .memory(let index) where Int(index) >= module.allMemoryTypes.count:
                throw WasmError(.invalid, "unknown memory \(index)", offset: at(7))
            case .global(let index) where Int(index) >= module.allGlobalTypes.count:
                throw WasmError(.invalid, "unknown global \(index)", offset: at(7))
            case .tag(let index) where Int(index) >= module.allTagTypeIndices.count:
                throw WasmError(.invalid, "unknown tag \(index)", offset: at(7))
            default:
                break
            }
        }
    }

    /// Every type index a value type outside function bodies names must exist, and the type
    /// section may name only its own or earlier recursion groups (TypeCanonicalization).
    static func checkTypeIndices(_ module: WasmModule) throws(WasmError) {
        func at(_ section: UInt8) -> Int? { module.sectionOffsets[section] }
        do {
            _ = try TypeCanonicalization.canonicalIndices(of: module.types, groupSizes: module.effectiveTypeGroupSizes)
        } catch {
            throw WasmError(error.kind, error.message, offset: at(1))
        }
        for entry in module.imports {
            switch entry.descriptor {
            case .table(let table): try module.checkTypeIndex(of: table.elementType, offset: at(2))
            case .global(let global): try module.checkTypeIndex(of: global.valueType, offset: at(2))
            case .function, .memory, .tag: break
            }
        }
        for table in module.tables { try module.checkTypeIndex(of: table.type.elementType, offset: at(4)) }
        for global in module.globals { try module.checkTypeIndex(of: global.type.valueType, offset: at(6)) }
        for segment in module.elements { try module.checkTypeIndex(of: segment.type, offset: at(9)) }
    }

    /// A tag's type is a function type whose parameters the exception carries; it has no results.
    static func checkTagType(_ typeIndex: TypeIndex, in module: WasmModule, offset: Int?) throws(WasmError) {
        guard Int(typeIndex) < module.types.count else { throw WasmError(.invalid, "unknown type \(typeIndex)", offset: offset) }
        guard module.types[Int(typeIndex)].results.isEmpty else {
            throw WasmError(.invalid, "non-empty tag result type", offset: offset)
        }
    }

    static func checkTableLimits(_ limits: Limits, offset: Int?) throws(WasmError) {
        // Only a memory's limits have the shared forms (threads); WasmParser reads a table's with
        // the same code.
        if limits.shared { throw WasmError(.malformed, "malformed limits flags: a table cannot be shared", offset: offset) }
        // Table sizes are u32 by construction in 2.0, so only the ordering can be wrong.
        if let max = limits.max, limits.min > max {
            throw WasmError(.invalid, "size minimum must not be greater than maximum", offset: offset)
        }
    }

    static func checkMemoryLimits(_ limits: Limits, offset: Int?) throws(WasmError) {
        let largest = limits.isMemory64 ? maximumMemory64Pages : maximumMemoryPages
        guard limits.min <= largest, (limits.max ?? 0) <= largest else {
            throw WasmError(.invalid, limits.isMemory64
                ? "memory size must be at most 2^48 pages (2^64 bytes)" : "memory size must be at most 65536 pages (4GiB)", offset: offset)
        }
        if let max = limits.max, limits.min > max {
            throw WasmError(.invalid, "size minimum must not be greater than maximum", offset: offset)
        }
        if limits.shared, limits.max == nil { throw WasmError(.invalid, "shared memory must have maximum", offset: offset) }
    }

    /// A second memory needs the multi-memory proposal; the error points at where it is declared:
    /// its entry in the memory section, or the import section when both are imported.
    static func checkMemoryCount(_ module: WasmModule) throws(WasmError) {
        if module.allMemoryTypes.count > 1, !module.features.allows(.multiMemory) {
            throw WasmError.unavailable(
                .multiMemory, "a second memory", under: module.features, rejectedAs: "multiple memories", kind: .invalid,
                offset: secondMemoryOffset(module))
        }
    }

    static func secondMemoryOffset(_ module: WasmModule) -> Int? {
        let imported = module.importedMemoryTypes.count
        guard imported < 2, let section = module.sectionOffsets[5] else { return module.sectionOffsets[2] }
        let bytes = module.binary
        var position = section + 1
        func skipLEB128() {
            while position < bytes.count, bytes[position] & 0x80 != 0 { position += 1 }
            position += 1
        }
        skipLEB128()  // section size
        skipLEB128()  // memory count
        for _ in 0..<(1 - imported) {
            guard position < bytes.count else { return section }
            let hasMaximum = bytes[position] & 0x01 != 0
            position += 1
            skipLEB128()
            if hasMaximum { skipLEB128() }
        }
        return position < bytes.count ? position : section
    }
}
