import WasmParser
import WasmTypes

/// A decoded WebAssembly module: the sections as WasmParser gives them, plus the index spaces
/// (imports first, then definitions) that validation, lowering and the descriptor all need.
public struct WasmModule: Sendable {
    public var types: [FunctionType] = [] { didSet { rebuildTypeEquivalence() } }
    /// Sizes of the type section's recursion groups, in order (all 1 without `rec`).
    public var typeGroupSizes: [Int] = [] { didSet { rebuildTypeEquivalence() } }
    /// For each type index, the first index of an equivalent type (TypeCanonicalization).
    public private(set) var canonicalTypeIndices: [UInt32] = []
    /// Each type's parameters and results as the validator compares them.
    private(set) var signatures: [(parameters: [OperandType], results: [OperandType])] = []
    public var imports: [Import] = [] { didSet { rebuildIndexSpaces() } }
    /// Type index of each function the module defines (the function section).
    public var functionTypeIndices: [TypeIndex] = [] { didSet { rebuildIndexSpaces() } }
    public var tables: [Table] = [] { didSet { rebuildIndexSpaces() } }
    public var memories: [Memory] = [] { didSet { rebuildIndexSpaces() } }
    public var globals: [Global] = [] { didSet { rebuildIndexSpaces() } }
    /// The tag section (exception handling).
    public var tags: [Tag] = [] { didSet { rebuildIndexSpaces() } }
    public var exports: [Export] = []
    public var start: FunctionIndex?
    public var elements: [ElementSegment] = []
    public var datas: [DataSegment] = []
    public var dataCount: UInt32?
    /// Bodies of the defined functions, parallel to `functionTypeIndices`.
    public var codes: [Code] = []
    /// Function names from the name section, by function index.
    public var functionNames: [UInt32: String] = [:]
    /// The DWARF custom sections (".debug_line", ".debug_str", ...) by name, the first of each
    /// name: slices of the binary, read only when debug info is asked for (`WasmLineMap`).
    public var debugSections: [String: ArraySlice<UInt8>] = [:]
    /// Where the Code section's contents start in the binary: the origin of DWARF addresses.
    public var codeSectionContentStart: Int?
    /// Function indices that `ref.func` may name in function bodies (declared by elements,
    /// exports or global initialisers, as the spec's C.refs).
    public var declaredFunctionReferences: Set<UInt32> = []
    /// The proposals the module was decoded under; validation and lowering accept the same.
    public var features: FeatureSet = .default
    /// Whether the module has tags or exception-handling instructions: only then may its code
    /// throw or catch, and only then are its functions compiled as able to unwind.
    public var usesExceptionHandling = false
    /// Whether any body makes a tail call (return_call, return_call_indirect, return_call_ref).
    public var usesTailCalls = false
    /// Tables (by index, imported ones first) that an instruction may change after instantiation.
    public var tablesChangedByCode: Set<UInt32> = []
    /// Tables that call_indirect or return_call_indirect calls through.
    public var tablesCalledThrough: Set<UInt32> = []
    /// Tables whose elements an instruction hands out as values (table.get, table.copy's source).
    public var tablesReadByCode: Set<UInt32> = []
    /// Functions that ref.func names in a body.
    public var functionsReferencedByCode: Set<UInt32> = []
    /// The legacy exception instructions by their offset in `binary`, where a placeholder now
    /// stands (LegacyExceptionRewriter): the original opcode of each.
    public var legacyOpcodes: [Int: UInt8] = [:]

    /// The legacy exception instruction whose placeholder is at `offset`, if it is one.
    @inline(__always)
    public func legacyOpcode(at offset: Int) -> UInt8? {
        legacyOpcodes.isEmpty ? nil : legacyOpcodes[offset]
    }

    public init() {}

    // MARK: Index spaces (imports first)

    public var importedFunctionTypeIndices: [TypeIndex] {
        imports.compactMap { if case .function(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedTableTypes: [TableType] {
        imports.compactMap { if case .table(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedMemoryTypes: [MemoryType] {
        imports.compactMap { if case .memory(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedGlobalTypes: [GlobalType] {
        imports.compactMap { if case .global(let t) = $0.descriptor { t } else { nil } }
    }

    // The combined index spaces are stored, not computed: the validator and the lowering look
    // them up per instruction and per function, and a module may have ~100k functions, so
    // rebuilding them on each access would be quadratic. They are kept in step with their
    // sources by the `didSet` observers above.

    /// Type index of every function, imported ones first.
    public private(set) var allFunctionTypeIndices: [TypeIndex] = []
    public private(set) var allTableTypes: [TableType] = []
    public private(set) var allMemoryTypes: [MemoryType] = []
    public private(set) var allGlobalTypes: [GlobalType] = []
    /// Type index of every tag, imported ones first.
    public private(set) var allTagTypeIndices: [TypeIndex] = []
    public private(set) var importedTagCount: Int = 0
    public private(set) var importedFunctionCount: Int = 0
    /// Number of imported globals: the only globals a constant expression may read in 2.0.
    public private(set) var importedGlobalCount: Int = 0

    // Where each section starts in the binary (its id byte), so that module-level validation
    // errors can carry a plausible offset. Filled by `ModuleDecoder`.
    var sectionOffsets: [UInt8: Int] = [:]
    // End of the code section, to tell a body that runs out at the end of the module from one
    // that runs into the next body (the spec suite words the two differently).
    var codeSectionEnd: Int?
    // The binary the module was decoded from (the code bodies are slices of it, so keeping it
    // costs nothing), for error wording that depends on the bytes around a body.
    var binary: [UInt8] = []

    /// The recursion group sizes: `typeGroupSizes`, or one type per group while they disagree
    /// with `types` (a module built by hand, or between the two assignments of the decoder).
    public var effectiveTypeGroupSizes: [Int] {
        typeGroupSizes.reduce(0, +) == types.count ? typeGroupSizes : Array(repeating: 1, count: types.count)
    }

    private mutating func rebuildTypeEquivalence() {
        let sizes = effectiveTypeGroupSizes
        // A reference past its group is refused by the decoder; here it only falls back to
        // identity, so that a module built by hand still has an answer for every index.
        canonicalTypeIndices = (try? TypeCanonicalization.canonicalIndices(of: types, groupSizes: sizes))
            ?? types.indices.map { UInt32($0) }
        signatures = types.map { type in
            (type.parameters.map { operandType($0) }, type.results.map { operandType($0) })
        }
    }

    private mutating func rebuildIndexSpaces() {
        var functions: [TypeIndex] = []
        var tableTypes: [TableType] = []
        var memoryTypes: [MemoryType] = []
        var globalTypes: [GlobalType] = []
        var tagTypes: [TypeIndex] = []
        functions.reserveCapacity(imports.count + functionTypeIndices.count)
        for entry in imports {
            switch entry.descriptor {
            case .function(let t): functions.append(t)
            case .table(let t): tableTypes.append(t)
            case .memory(let t): memoryTypes.append(t)
            case .global(let t): globalTypes.append(t)
            case .tag(let t): tagTypes.append(t)
            }
        }
        importedFunctionCount = functions.count
        importedGlobalCount = globalTypes.count
        importedTagCount = tagTypes.count
        tagTypes.append(contentsOf: tags.lazy.map(\.type))
        allTagTypeIndices = tagTypes
        functions.append(contentsOf: functionTypeIndices)
        tableTypes.append(contentsOf: tables.lazy.map(\.type))
        memoryTypes.append(contentsOf: memories.lazy.map(\.type))
        globalTypes.append(contentsOf: globals.lazy.map(\.type))
        allFunctionTypeIndices = functions
        allTableTypes = tableTypes
        allMemoryTypes = memoryTypes
        allGlobalTypes = globalTypes
    }
}
