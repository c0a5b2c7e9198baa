import Foundation
import KilnFrontend
import WasmParser
import XCTest

/// Walks every instruction WasmParser knows, from the table its visitor is generated from
/// (WasmKit's Utilities/Instructions.json, in the checked-out dependency), and checks that Kiln
/// classifies each by the same proposal, names it as the text format does, and either validates
/// it or refuses it by proposal: no instruction may fall through one of InstructionVisitor's
/// do-nothing defaults, and a WasmParser with a new instruction fails here until it is classified.
final class InstructionTableTests: XCTestCase {
    struct Row {
        var proposal: String
        /// The text-format name; nil where WasmKit's table gives only an enum case.
        var name: String?
        var opcode: [UInt8]
        var immediates: [String]
    }

    static func rows() throws -> [Row] {
        // In the SwiftPM scratch directory: scripts/test's KILN_SCRATCH_PATH, else .build.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scratch = ProcessInfo.processInfo.environment["KILN_SCRATCH_PATH"].map { URL(fileURLWithPath: $0, relativeTo: root) }
            ?? root.appendingPathComponent(".build")
        let table = scratch.appendingPathComponent("checkouts/WasmKit/Utilities/Instructions.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: table)) as? [[Any]] ?? []
        return json.map { row in
            Row(
                proposal: row[0] as? String ?? "",
                name: row[1] as? String,
                opcode: (row[2] as? [String] ?? []).compactMap { UInt8($0.dropFirst(2), radix: 16) },
                immediates: (row[3] as? [[String]] ?? []).map { $0[1] })
        }
    }

    /// WasmKit's proposal names, as Kiln's features.
    static let proposals: [String: Feature?] = [
        "mvp": nil, "referenceTypes": .referenceTypes, "bulkMemory": .bulkMemory, "simd": .simd,
        "relaxedSimd": .relaxedSimd, "saturatingFloatToInt": .nonTrappingFloatToInt, "signExtension": .signExtension,
        "exceptionHandling": .exceptionHandling, "tailCall": .tailCalls, "functionReferences": .typedFunctionReferences,
        "threads": .threads, "gc": .gc,
    ]

    /// An encoding of each immediate kind that decodes, naming index 0 where it names anything.
    static func encoding(of immediates: [String]) -> [UInt8] {
        // br_on_cast and br_on_cast_fail start with a flags byte.
        var bytes: [UInt8] = immediates.contains("ReferenceType") ? [0x00] : []
        for kind in immediates {
            switch kind {
            case "MemArg": bytes += [0x00, 0x00]
            case "BlockType": bytes += [0x40]
            case "BrTable": bytes += [0x00, 0x00]
            case "ValueType": bytes += [0x01, 0x7F]
            case "HeapType", "ReferenceType": bytes += [0x70]
            case "V128", "V128ShuffleMask": bytes += [UInt8](repeating: 0, count: 16)
            case "IEEE754.Float32": bytes += [0, 0, 0, 0]
            case "IEEE754.Float64": bytes += [0, 0, 0, 0, 0, 0, 0, 0]
            default: bytes += [0x00]  // UInt32, UInt8, Int32, Int64, TryCatch (no clauses)
            }
        }
        return bytes
    }

    /// A module with a table, a memory, a global, an element and a data segment, and one function
    /// of type () -> () with an i32 local, whose body is `body` then `end`.
    static func module(body: [UInt8]) -> [UInt8] {
        func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] { [id, UInt8(content.count)] + content }
        let code = [0x01, 0x01, 0x7F] + body + [0x0B]
        return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
            + section(1, [1, 0x60, 0, 0]) + section(3, [1, 0]) + section(4, [1, 0x70, 0x00, 0x01])
            + section(5, [1, 0x00, 0x01]) + section(6, [1, 0x7F, 0x01, 0x41, 0x00, 0x0B])
            + section(9, [1, 0x01, 0x00, 0x01, 0x00]) + section(12, [1])
            + section(10, [1, UInt8(code.count)] + code) + section(11, [1, 0x01, 0x00])
    }

    /// Records the instruction it is shown.
    struct Recorder: AnyInstructionVisitor {
        typealias VisitorError = WasmError
        var binaryOffset = 0
        var instruction: Instruction?
        mutating func visit(_ instruction: Instruction) throws(WasmError) { self.instruction = instruction }
    }

    /// Decodes one instruction the way WasmParser does with every proposal on.
    static func decode(_ row: Row) throws -> Instruction? {
        var parser = Parser(bytes: module(body: row.opcode + encoding(of: row.immediates)), features: .all)
        while let payload = try parser.parseNext() {
            guard case .codeSection(let codes) = payload else { continue }
            var expression = ExpressionParser(code: codes[0])
            var recorder = Recorder()
            try expression.parse()?(visitor: &recorder)
            return recorder.instruction
        }
        return nil
    }

    /// Dispatches through InstructionVisitor's switch (the validator's own `visit(_:)` is the
    /// fallback for instructions it has no method for).
    static func dispatch<V: InstructionVisitor>(_ instruction: Instruction, to visitor: inout V) throws(V.VisitorError) {
        try visitor.visit(instruction)
    }

    func testEveryInstructionIsClassifiedAndHandled() throws {
        let rows = try Self.rows()
        XCTAssertGreaterThan(rows.count, 500, "WasmKit's instruction table was not found or is incomplete")
        let template = try ModuleDecoder.decode(Self.module(body: []))
        var misnamed: [String] = []
        for row in rows {
            let label = row.name ?? row.opcode.map { String($0, radix: 16) }.joined(separator: " ")
            guard let expected = Self.proposals[row.proposal] else {
                XCTFail("\(label): WasmParser knows a proposal Kiln does not: \(row.proposal)")
                continue
            }
            guard let instruction = try Self.decode(row) else {
                XCTFail("\(label): did not decode")
                continue
            }
            XCTAssertEqual(Feature.introducing(instruction), expected, label)
            if let name = row.name, InstructionName.of(instruction) != name {
                misnamed.append("\(name) as \(InstructionName.of(instruction))")
            }

            // After `unreachable` every operand is there, so validation fails only on indices,
            // immediates or typing, never on a missing method.
            var validator = try FunctionValidator(module: template, definedFunctionIndex: 0)
            try validator.visitUnreachable()
            var error: WasmError?
            do { try Self.dispatch(instruction, to: &validator) } catch let thrown { error = thrown }
            if let feature = expected, !feature.isSupported {
                XCTAssertEqual(error?.feature, feature, "\(label): \(String(describing: error))")
            } else {
                XCTAssert(error == nil || (error?.kind != .unsupported && error?.feature == nil), "\(label): \(String(describing: error))")
            }
        }
        // WasmParser spells these cases differently from the text format.
        XCTAssertEqual(misnamed, [], "names derived from WasmParser's cases")
    }
}
