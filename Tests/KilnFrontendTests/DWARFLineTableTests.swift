import Foundation
import KilnFrontend
import XCTest

/// `WasmLineMap` against the line tables of a real clang-19 `-g` program, row by row as
/// `llvm-dwarfdump-19 --debug-line` prints them, for DWARF 4 (clang's default for wasm32, and
/// what the sysroot's libc carries) and DWARF 5 (whose file tables use entry formats and
/// .debug_line_str).
final class DWARFLineTableTests: XCTestCase {
    /// tests/debug-info/prog.c: the loop's body is line 8.
    static let source = try! String(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tests/debug-info/prog.c"),
        encoding: .utf8)

    func testDWARF4RowsMatchLLVMDwarfdump() throws {
        try checkRowsMatchDwarfdump(flag: "-gdwarf-4", version: 4)
    }

    func testDWARF5RowsMatchLLVMDwarfdump() throws {
        try checkRowsMatchDwarfdump(flag: "-gdwarf-5", version: 5)
    }

    /// Lines of the source itself, whatever llvm-dwarfdump says: the loop's body is line 8, and
    /// DWARF 5 names the file with its directory.
    func testKnownLinesOfTheSource() throws {
        for flag in ["-gdwarf-4", "-gdwarf-5"] {
            let program = try GuestProgram(source: Self.source, flags: [flag, "-O0"])
            let module = try ModuleDecoder.decode(program.wasm)
            let lines = try XCTUnwrap(try WasmLineMap.read(module))
            let locations = lines.rangeStarts.map(\.location).filter { lines.files[$0.file].name.hasSuffix("prog.c") }
            XCTAssertEqual(Set(locations.map(\.line)).intersection([2, 5, 6, 7, 8, 10, 13, 14]).count, 8, "\(flag): \(locations)")
            if flag == "-gdwarf-5" {
                let file = try XCTUnwrap(locations.first).file
                XCTAssertEqual(lines.files[file].path, program.directory + "/prog.c")
            }
        }
    }

    /// Every prefix of a real .debug_line reads or throws; none crashes, and a cut inside the
    /// first unit always throws.
    func testTruncatedLineTablesThrow() throws {
        let program = try GuestProgram(source: Self.source, flags: ["-gdwarf-5", "-O0"])
        let module = try ModuleDecoder.decode(program.wasm)
        let debugLine = try XCTUnwrap(module.debugSections[".debug_line"])
        let firstUnitEnd = Int(debugLine[debugLine.startIndex..<debugLine.startIndex + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }) + 4
        // Every cut in the first units, then a sample (each read is linear in the section).
        for length in Array(1..<min(400, debugLine.count)) + Array(stride(from: 400, to: debugLine.count, by: 37)) {
            var truncated = module
            truncated.debugSections[".debug_line"] = debugLine.prefix(length)
            do {
                _ = try WasmLineMap.read(truncated)
                XCTAssertGreaterThanOrEqual(length, firstUnitEnd, "a unit cut at \(length) read without error")
            } catch {
                XCTAssertEqual(error.section, ".debug_line")
            }
        }
    }

    // MARK: Against llvm-dwarfdump

    private func checkRowsMatchDwarfdump(flag: String, version: Int) throws {
        let program = try GuestProgram(source: Self.source, flags: [flag, "-O0"])
        let module = try ModuleDecoder.decode(program.wasm)
        let lines = try XCTUnwrap(try WasmLineMap.read(module))
        let dump = try GuestProgram.run(try GuestProgram.tool("llvm-dwarfdump-19"), ["--debug-line", program.wasmPath])
        let units = DwarfdumpLineTables(dump)
        XCTAssertTrue(units.versions.contains(version), "no version \(version) unit in \(units.versions)")
        var checked = 0
        for expected in units.rows {
            let location = try XCTUnwrap(
                lines.location(atBinaryOffset: lines.codeSectionContentStart + Int(expected.address)),
                "no location at 0x\(String(expected.address, radix: 16)) (\(expected))")
            XCTAssertEqual(location.line, expected.line, "at 0x\(String(expected.address, radix: 16))")
            XCTAssertEqual(location.column, expected.column, "at 0x\(String(expected.address, radix: 16))")
            XCTAssertEqual(lines.files[location.file].name, expected.fileName, "at 0x\(String(expected.address, radix: 16))")
            checked += 1
        }
        // The units of the libc's start-up code and prog.c's.
        XCTAssertGreaterThan(checked, 30)
        XCTAssertGreaterThanOrEqual(units.rows.filter { $0.fileName == "prog.c" }.count, 20)
        XCTAssertTrue(units.rows.contains { $0.fileName == "prog.c" && $0.line == 8 })
    }
}

/// The rows of `llvm-dwarfdump --debug-line` output that describe code: each row followed, in
/// its sequence, by a row at a higher address (a row at the same address as the next describes
/// no byte), in sequences that do not start at the tombstone 0.
struct DwarfdumpLineTables {
    struct Row: CustomStringConvertible {
        var address: UInt64, line: UInt32, column: UInt32, fileName: String
        var description: String { "0x\(String(address, radix: 16)) \(fileName):\(line):\(column)" }
    }

    var rows: [Row] = []
    var versions: Set<Int> = []

    init(_ dump: String) {
        var files: [Int: String] = [:]
        var pendingFile: Int?
        var sequence: [(address: UInt64, line: UInt32, column: UInt32, file: Int)] = []
        for raw in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("debug_line[") {
                files = [:]
            } else if line.hasPrefix("version:") {
                versions.insert(Int(line.dropFirst("version:".count).trimmingCharacters(in: .whitespaces)) ?? 0)
            } else if line.hasPrefix("file_names[") {
                pendingFile = Int(line.dropFirst("file_names[".count).prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces))
            } else if line.hasPrefix("name:"), let index = pendingFile {
                files[index] = line.dropFirst("name:".count).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                pendingFile = nil
            } else if line.hasPrefix("0x") {
                let fields = line.split(separator: " ")
                guard fields.count >= 4, let address = UInt64(fields[0].dropFirst(2), radix: 16),
                    let number = UInt32(fields[1]), let column = UInt32(fields[2]), let file = Int(fields[3])
                else { continue }
                sequence.append((address, number, column, file))
                if fields.contains("end_sequence") {
                    if let first = sequence.first, first.address != 0 {
                        for (row, next) in zip(sequence, sequence.dropFirst()) where next.address > row.address {
                            rows.append(Row(address: row.address, line: row.line, column: row.column, fileName: files[row.file] ?? "?"))
                        }
                    }
                    sequence = []
                }
            }
        }
    }
}

/// A C program compiled to wasm32-wasi by clang-19 with the Debian sysroot, in a scratch
/// directory (deleted when dropped). Tests that need one skip when clang-19 is missing.
final class GuestProgram {
    let directory: String
    let wasm: [UInt8]
    var wasmPath: String { directory + "/prog.wasm" }

    init(source: String, flags: [String]) throws {
        let clang = try Self.tool("clang-19")
        directory = NSTemporaryDirectory() + "kiln-dwarf-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try source.write(toFile: directory + "/prog.c", atomically: true, encoding: .utf8)
        _ = try Self.run(clang, ["--target=wasm32-wasi", "--sysroot=/usr"] + flags + ["prog.c", "-o", "prog.wasm"], in: directory)
        wasm = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/prog.wasm")))
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The tool's path, or an XCTSkip saying it is missing.
    static func tool(_ name: String) throws -> String {
        for directory in ["/usr/bin", "/usr/lib/llvm-19/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw XCTSkip("\(name) is not installed (scripts/setup installs it)")
    }

    /// Runs `tool` to completion; its stdout, or a failure with its stderr.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting: the dump is larger than a pipe holds.
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: tool, code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: String(decoding: err, as: UTF8.self)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
