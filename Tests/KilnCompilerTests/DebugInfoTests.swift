import Foundation
import Kiln
import KilnCompiler
import Synchronization
import WAT
import XCTest

/// `CompileOptions.debugInfo` (`kiln compile -g`): the module's DWARF line tables become the
/// shared object's, at every level; malformed DWARF costs a warning, never the compile.
final class DebugInfoTests: XCTestCase {
    /// tests/debug-info/prog.c: the loop's body is line 8.
    static let program = try! String(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tests/debug-info/prog.c"),
        encoding: .utf8)

    func testTheFingerprintSaysGOnlyWithDebugInfo() throws {
        let plain = try CompilerFingerprint.current(for: CompileOptions()).description
        let debug = try CompilerFingerprint.current(for: CompileOptions(debugInfo: true)).description
        XCTAssertFalse(plain.contains("; g"), plain)
        XCTAssertEqual(debug, plain + "; g")
    }

    /// A .debug_line cut short compiles as without -g, with one warning naming the section and
    /// what is wrong.
    func testATruncatedLineTableCompilesWithoutDebugInfoAndWarnsOnce() throws {
        let wasm = try wat2wasm(#"(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#)
        // A unit that claims 0x30 bytes and holds 2.
        let truncated = wasm + Self.customSection(".debug_line", [0x30, 0, 0, 0, 4, 0])
        let warnings = Mutex<[String]>([])
        let (path, directory) = try Self.outputPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var compiler = Compiler(options: CompileOptions(debugInfo: true))
        compiler.warn = { message in warnings.withLock { $0.append(message) } }
        try compiler.compile(wasm: truncated, to: path)
        let seen = warnings.withLock { $0 }
        XCTAssertEqual(seen.count, 1, "\(seen)")
        XCTAssertTrue(seen.first?.contains(".debug_line") == true, "\(seen)")
        XCTAssertTrue(seen.first?.contains("runs past the section") == true, "\(seen)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertNil(bytes.range(of: Data(".debug_line".utf8)), "the object has a line table")
        let instance = try Module(path: path).instantiate()
        XCTAssertEqual(try instance.call("add", [.i32(2), .i32(3)]).first?.asI32, 5)
    }

    /// A clang-19 `-g` program compiled -g at -O0, -O1 and -O2: the object's line table names
    /// prog.c's lines and names its functions.
    func testAClangProgramKeepsItsLinesAtEveryLevel() throws {
        let wasm = try Self.clangProgram()
        for level in [0, 1, 2] {
            let (path, directory) = try Self.outputPath()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var compiler = Compiler(options: CompileOptions(optimizationLevel: level, debugInfo: true))
            compiler.warn = { XCTFail("unexpected warning: \($0)") }
            try compiler.compile(wasm: wasm, to: path)
            let dump = try Self.run(try Self.tool("llvm-dwarfdump-19"), ["--debug-line", "--debug-info", path])
            XCTAssertTrue(dump.contains("\"prog.c\""), "-O\(level): no prog.c in the line table")
            XCTAssertTrue(dump.contains("DW_AT_name\t(\"sum_squares\")"), "-O\(level): no subprogram sum_squares")
            // Line 8, the loop's body, survives every level as some row of prog.c.
            XCTAssertTrue(dump.split(separator: "\n").contains { $0.hasPrefix("0x") && $0.split(separator: " ")[1] == "8" },
                          "-O\(level): no row for line 8")
        }
    }

    /// Without -g nothing changes: no debug sections.
    func testWithoutDebugInfoTheObjectHasNone() throws {
        let wasm = try Self.clangProgram()
        let (path, directory) = try Self.outputPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Compiler().compile(wasm: wasm, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertNil(bytes.range(of: Data(".debug_line".utf8)))
    }

    // MARK: Helpers

    static func customSection(_ name: String, _ content: [UInt8]) -> [UInt8] {
        let payload = leb(name.utf8.count) + Array(name.utf8) + content
        return [0] + leb(payload.count) + payload
    }

    static func leb(_ value: Int) -> [UInt8] {
        var value = value, bytes: [UInt8] = []
        repeat {
            let byte = UInt8(value & 0x7f)
            value >>= 7
            bytes.append(value == 0 ? byte : byte | 0x80)
        } while value != 0
        return bytes
    }

    static func outputPath() throws -> (path: String, directory: String) {
        let directory = NSTemporaryDirectory() + "kiln-debug-info-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (directory + "/prog.so", directory)
    }

    /// `program` built by clang-19 for wasm32-wasi with -g at -O0.
    static func clangProgram() throws -> [UInt8] {
        let clang = try tool("clang-19")
        let (_, directory) = try outputPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try program.write(toFile: directory + "/prog.c", atomically: true, encoding: .utf8)
        try run(clang, ["--target=wasm32-wasi", "--sysroot=/usr", "-g", "-O0", "prog.c", "-o", "prog.wasm"], in: directory)
        return Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/prog.wasm")))
    }

    static func tool(_ name: String) throws -> String {
        for directory in ["/usr/bin", "/usr/lib/llvm-19/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw XCTSkip("\(name) is not installed (scripts/setup installs it)")
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: tool, code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) failed"])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
