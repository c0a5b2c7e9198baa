import CLLVM
import KilnFrontend
import KilnLLVM

/// What `kiln compile -g` gives the lowering: the module's line tables, and whether the code
/// will be optimised (debuggers are told that values and lines may then be approximate).
public struct DebugInfoSource: Sendable {
    public let lines: WasmLineMap
    public let isOptimized: Bool

    public init(lines: WasmLineMap, isOptimized: Bool) {
        self.lines = lines
        self.isOptimized = isOptimized
    }
}

/// The DWARF of one partition's LLVM module (`kiln compile -g`): a compile unit, a subprogram
/// per Wasm function the module defines or copies, and the source location of every
/// instruction, taken from the Wasm module's own line tables (`WasmLineMap`).
///
/// What is kept is what a line table says: files, lines, columns, and function names from the
/// name section. Variables and types would need the Wasm DWARF's locations (Wasm locals and
/// the shadow stack) translated to native registers and frames: not done.
///
/// Each partition has its own LLVM context, so each has its own emitter and compile unit; the
/// linker puts the units side by side in the shared object.
final class DebugInfoEmitter {
    let lines: WasmLineMap
    private let ir: IRBuilder
    private let builder: LLVMDIBuilderRef
    private let subroutineType: LLVMMetadataRef
    private var files: [Int: LLVMMetadataRef] = [:]
    private let unitFile: LLVMMetadataRef
    private let isOptimized: Bool

    init(ir: IRBuilder, source: DebugInfoSource) {
        self.ir = ir
        self.lines = source.lines
        self.isOptimized = source.isOptimized
        builder = LLVMCreateDIBuilder(ir.module)
        // The unit is named after the first source file; every location names its own file.
        let first = lines.files.first { !$0.name.isEmpty } ?? SourceFile(directory: "", name: "wasm")
        unitFile = Self.createFile(builder, first)
        let producer = "Kiln (from the module's WebAssembly DWARF)"
        // Full, not line-tables-only, although there are no variables or types: for a
        // line-tables-only unit LLVM emits a function's DW_TAG_subprogram only when something
        // was inlined into it, and without one gdb cannot break on the function by name.
        _ = LLVMDIBuilderCreateCompileUnit(
            builder, LLVMDWARFSourceLanguageC99, unitFile, producer, producer.utf8.count, isOptimized ? 1 : 0, "", 0, 0,
            "", 0, LLVMDWARFEmissionFull, 0, 0, 0, "", 0, "", 0)
        subroutineType = LLVMDIBuilderCreateSubroutineType(builder, unitFile, nil, 0, LLVMDIFlagZero)
        addModuleFlag("Debug Info Version", LLVMDebugMetadataVersion())
        // DWARF 4, as clang emits for wasm32 by default and every debugger reads.
        addModuleFlag("Dwarf Version", 4)
    }

    deinit { LLVMDisposeDIBuilder(builder) }

    /// Completes the compile unit; call once, after the last function, before optimising.
    func finalize() { LLVMDIBuilderFinalize(builder) }

    /// Gives `function` (the lowering of defined function `definedIndex`, named `name`) a
    /// subprogram at the first location of its body, and returns the scope its lowering sets
    /// locations in. Nil when no line table row covers the body: the function then has no
    /// subprogram and its instructions no locations (a subprogram whose instructions had none
    /// would fail the verifier at inlinable calls).
    func beginFunction(_ function: LLVMValueRef, body: Range<Int>, name: String) -> FunctionDebugScope? {
        guard let first = lines.firstLocation(in: body) else { return nil }
        let file = self.file(first.file)
        let subprogram = LLVMDIBuilderCreateFunction(
            builder, file, name, name.utf8.count, "", 0, file, first.line, subroutineType, 0, 1, first.line,
            LLVMDIFlagZero, isOptimized ? 1 : 0)!
        LLVMSetSubprogram(function, subprogram)
        return FunctionDebugScope(
            emitter: self, subprogram: subprogram, file: first.file, prologueEnd: lines.prologueEnd(in: body) ?? body.lowerBound)
    }

    /// The DIFile of `WasmLineMap.files[index]`, made once per partition.
    func file(_ index: Int) -> LLVMMetadataRef {
        if let file = files[index] { return file }
        let file = index < lines.files.count ? Self.createFile(builder, lines.files[index]) : unitFile
        files[index] = file
        return file
    }

    /// A scope for locations in another file than their function's (a header's inline
    /// function, say): a lexical block file inside the subprogram.
    func scope(in subprogram: LLVMMetadataRef, file: Int) -> LLVMMetadataRef {
        LLVMDIBuilderCreateLexicalBlockFile(builder, subprogram, self.file(file), 0)
    }

    func location(line: UInt32, column: UInt32, scope: LLVMMetadataRef) -> LLVMMetadataRef {
        LLVMDIBuilderCreateDebugLocation(ir.context, line, column, scope, nil)
    }

    func setLocation(_ location: LLVMMetadataRef?) { LLVMSetCurrentDebugLocation2(ir.builder, location) }

    private static func createFile(_ builder: LLVMDIBuilderRef, _ file: SourceFile) -> LLVMMetadataRef {
        LLVMDIBuilderCreateFile(builder, file.name, file.name.utf8.count, file.directory, file.directory.utf8.count)
    }

    private func addModuleFlag(_ key: String, _ value: UInt32) {
        let constant = LLVMValueAsMetadata(LLVMConstInt(ir.i32, UInt64(value), 0))
        LLVMAddModuleFlag(ir.module, LLVMModuleFlagBehaviorWarning, key, key.utf8.count, constant)
    }
}

/// The debug locations of one function's lowering: before each Wasm instruction is lowered,
/// the builder's location becomes the line table's row for that instruction, so everything
/// emitted for it (helper blocks and trap paths included) carries its line.
///
/// Prologues get line 0 (a location that names no line): Kiln's own (allocas, stack check,
/// fuel) and the Wasm function's (clang's shadow-stack set-up, up to the row the Wasm line
/// table marks prologue_end). LLVM puts the native prologue_end on the first instruction after
/// the frame set-up with a line that is not 0, and gdb breaks there on `break function`: so it
/// stops where it would in a native build, at the function's first statement.
struct FunctionDebugScope {
    let emitter: DebugInfoEmitter
    let subprogram: LLVMMetadataRef
    /// The subprogram's file, whose locations need no lexical block.
    let file: Int
    /// The binary offset of the Wasm function's first instruction after its prologue.
    let prologueEnd: Int
    private var current: SourceLocation?
    private var scopes: [Int: LLVMMetadataRef] = [:]

    init(emitter: DebugInfoEmitter, subprogram: LLVMMetadataRef, file: Int, prologueEnd: Int) {
        self.emitter = emitter
        self.subprogram = subprogram
        self.file = file
        self.prologueEnd = prologueEnd
    }

    /// No source line, in this function: a location is still needed in a function that has a
    /// subprogram.
    private var lineZero: SourceLocation { SourceLocation(file: file, line: 0, column: 0) }

    /// Sets the builder's location for the instruction at `binaryOffset`; line 0 in the
    /// prologue and where no row covers it.
    mutating func locate(atBinaryOffset binaryOffset: Int) {
        let location = binaryOffset < prologueEnd ? lineZero : emitter.lines.location(atBinaryOffset: binaryOffset) ?? lineZero
        guard location != current else { return }
        set(location)
    }

    /// Sets the builder's location for Kiln's prologue.
    mutating func locateEntry() { set(lineZero) }

    /// Clears the builder's location, so that code built outside this function carries none.
    func end() { emitter.setLocation(nil) }

    private mutating func set(_ location: SourceLocation) {
        current = location
        emitter.setLocation(emitter.location(line: location.line, column: location.column, scope: scope(for: location.file)))
    }

    private mutating func scope(for file: Int) -> LLVMMetadataRef {
        if file == self.file { return subprogram }
        if let scope = scopes[file] { return scope }
        let scope = emitter.scope(in: subprogram, file: file)
        scopes[file] = scope
        return scope
    }
}
