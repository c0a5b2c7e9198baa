import Foundation
import Kiln
import KilnCompiler
import WAT
import XCTest

/// Compiles WAT text to a shared object in a fresh temporary directory and loads it.
func compileAndLoad(_ wat: String, options: CompileOptions = CompileOptions()) throws -> Module {
    try compileAndLoad(wat, with: Compiler(options: options))
}

func compileAndLoad(_ wat: String, with compiler: Compiler) throws -> Module {
    // The loaded module stays valid after its file is removed: it is mapped.
    try compile(wat, with: compiler) { try Module(path: $0) }
}

/// Compiles WAT text to a shared object in a fresh temporary directory, removed after `use` has
/// seen its path.
private func compile<T>(_ wat: String, with compiler: Compiler, _ use: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("module.so").path
    try compiler.compile(wasm: try wat2wasm(wat, features: compiler.options.features.parserFeatures), to: path)
    return try use(path)
}

func instantiate(_ wat: String, imports: Imports? = nil) throws -> Instance {
    try compileAndLoad(wat).instantiate(imports: imports)
}

extension Value {
    var asI32: Int32? { if case .i32(let value) = self { value } else { nil } }
    var asI64: Int64? { if case .i64(let value) = self { value } else { nil } }
}

/// Calls `name` and checks its outcome against a model's: a return where the model did not trap,
/// "out of bounds memory access" where it did. The call's results, if it returned.
@discardableResult
func callAsModelled(_ instance: Instance, _ name: String, _ args: [Value], trapped: Bool, _ context: String) -> [Value]? {
    do {
        let results = try instance.call(name, args)
        XCTAssertFalse(trapped, context)
        return results
    } catch {
        XCTAssertTrue(trapped, "\(context): \(error)")
        XCTAssertEqual(error.message, "out of bounds memory access", context)
        return nil
    }
}

/// Calls `name` at -O0, -O2 and -O3, each in a fresh instance of `wat` whose `fill`
/// (`patternFillFunction`) has run, and checks its outcome with `callAsModelled` and the whole
/// memory afterwards against a model's.
func checkAgainstModel(
    _ wat: String, _ name: String, _ arguments: [Value], model: (memory: [UInt8], trapped: Bool), _ context: String
) throws {
    for level in [0, 2, 3] {
        let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
        _ = try instance.call("fill", [])
        let context = "-O\(level) \(context)"
        callAsModelled(instance, name, arguments, trapped: model.trapped, context)
        try assertMemoryIsModelled(instance, model.memory, context)
    }
}

/// Checks the instance's memory 0 byte for byte against a model's, naming the first difference.
func assertMemoryIsModelled(_ instance: Instance, _ model: [UInt8], _ context: String) throws {
    let memory = try XCTUnwrap(instance.memory()).bytes
    let firstDifference = (0..<model.count).first { memory[$0] != model[$0] }
    XCTAssertNil(firstDifference, "\(context): the memory differs from the model's at \(firstDifference ?? 0)")
}

/// The IR of each Wasm function of `wat` after optimisation with `options` (KILN_DUMP_IR), with
/// the attribute groups it names inlined.
func optimisedWasmFunctions(_ wat: String, options: CompileOptions = CompileOptions()) throws -> [(name: String, body: String)] {
    let dump = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-ir-\(UUID().uuidString).ll").path
    setenv("KILN_DUMP_IR", dump, 1)
    defer { unsetenv("KILN_DUMP_IR"); try? FileManager.default.removeItem(atPath: dump) }
    _ = try compileAndLoad(wat, options: options)
    let text = try String(contentsOfFile: dump, encoding: .utf8)
    var groups: [String: String] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("attributes #") {
        let parts = line.split(separator: " ", maxSplits: 3)
        groups[String(parts[1])] = String(parts[3])
    }
    return text.components(separatedBy: "\ndefine ").dropFirst().compactMap { chunk in
        let header = chunk.prefix { $0 != "{" }
        guard let nameStart = header.range(of: "@\"wasm[") else { return nil }
        let name = String(header[nameStart.lowerBound...].prefix { $0 != "(" })
        let attributes = header.split(separator: " ").filter { $0.hasPrefix("#") }.compactMap { groups[String($0)] }
        let body = chunk.components(separatedBy: "\n}").first ?? chunk
        return (name, attributes.joined(separator: " ") + "\n" + body)
    }
}

/// The machine code of `wat` compiled with `options`, as assembly text (KILN_DUMP_ASM). Not
/// loaded, so the code may be for another CPU than the host's.
func compiledAssembly(_ wat: String, options: CompileOptions = CompileOptions()) throws -> String {
    let dump = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-asm-\(UUID().uuidString).s").path
    setenv("KILN_DUMP_ASM", dump, 1)
    defer { unsetenv("KILN_DUMP_ASM"); try? FileManager.default.removeItem(atPath: dump) }
    try compile(wat, with: Compiler(options: options)) { _ in }
    return try String(contentsOfFile: dump, encoding: .utf8)
}

/// A function `fill` that writes `i * 37 + 11` to every byte i of a one-page memory, for tests that
/// compare a compiled loop with a model of it in Swift over the same bytes (`patternFilledMemory`).
let patternFillFunction = """
    (func (export "fill") (local $i i32)
      (loop $next
        (i32.store8 (local.get $i) (i32.add (i32.mul (local.get $i) (i32.const 37)) (i32.const 11)))
        (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65536)))))
    """

/// The memory `patternFillFunction` leaves.
func patternFilledMemory() -> [UInt8] { (0..<65536).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) } }

/// `count` pseudo-random bytes, the same for the same `seed` (a linear congruential generator).
func pseudoRandomBytes(_ count: Int, seed: UInt32) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 1_103_515_245 &+ 12345
        return UInt8(truncatingIfNeeded: state >> 16)
    }
}
