import Foundation
import Kiln
import KilnCompiler
import XCTest

/// Memory-loop versioning of loops with more than one exit (Kiln 0.5.43): a base64 decoder that
/// reads four bytes an iteration through 32-bit sums, stores one to three bytes through a pointer
/// that advances by what it decoded, and returns early at a byte outside the alphabet. Its copy,
/// with 64-bit addresses, runs when every byte the loop could read, were it never to leave early,
/// is inside the memory; the early exit must still return before an access that the full count
/// would have made past the end, and the data-dependent stores keep their order and traps.
/// Loops that only read (searches) and loops that may leave to a trap are not taken.
final class EarlyExitLoopVersioningTests: XCTestCase {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let (table, text, pad) = (512, 32768, UInt8(ascii: "="))

    /// The decoder's loop, reading the text at `in + i + k` (`in` a constant or a parameter).
    private static func decoder(name: String, parameters: String, input: String, prologue: String = "", extra: String = "") -> String {
        func byte(_ k: Int) -> String { "(i32.load8_u (i32.add \(input) (i32.const \(k))))" }
        func value(_ k: Int) -> String { "(i32.load8_s offset=\(table) \(byte(k)))" }
        func unlessPad(_ k: Int) -> String {
            "(if (result i32) (i32.eq \(byte(k)) (i32.const 61)) (then (i32.const 0)) (else \(value(k))))"
        }
        return """
            (func (export "\(name)") \(parameters) (param $n i32) (param $out i32) (result i32)
              (local $i i32) (local $o i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $v i32)
              (local.set $o (local.get $out))
              \(prologue)
              (block $done
                (br_if $done (i32.eqz (local.get $n)))
                (loop $quad
                  (local.set $a \(value(0)))
                  (local.set $b \(value(1)))
                  (local.set $c \(unlessPad(2)))
                  (local.set $d \(unlessPad(3)))
                  \(extra)
                  (if (i32.lt_s (i32.or (i32.or (local.get $a) (local.get $b)) (i32.or (local.get $c) (local.get $d))) (i32.const 0))
                    (then (return (i32.const -1))))
                  (local.set $v (i32.or (i32.or (i32.shl (local.get $a) (i32.const 18)) (i32.shl (local.get $b) (i32.const 12)))
                                        (i32.or (i32.shl (local.get $c) (i32.const 6)) (local.get $d))))
                  (i32.store8 (local.get $o) (i32.shr_u (local.get $v) (i32.const 16)))
                  (local.set $o (i32.add (local.get $o) (i32.const 1)))
                  (if (i32.ne \(byte(2)) (i32.const 61))
                    (then (i32.store8 (local.get $o) (i32.shr_u (local.get $v) (i32.const 8)))
                          (local.set $o (i32.add (local.get $o) (i32.const 1)))))
                  (if (i32.ne \(byte(3)) (i32.const 61))
                    (then (i32.store8 (local.get $o) (local.get $v))
                          (local.set $o (i32.add (local.get $o) (i32.const 1)))))
                  (br_if $quad (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $n)))))
              (i32.sub (local.get $o) (local.get $out)))
            """
    }

    /// The base64 text of the whole upper half of memory, with a padded quad now and then.
    private static let initialText: [UInt8] = {
        var bytes = pseudoRandomBytes(65536 - text, seed: 4343).map { alphabet[Int($0 & 63)] }
        for quad in stride(from: 0, to: bytes.count, by: 4 * 37) { bytes[quad + 3] = pad }
        for quad in stride(from: 4 * 11, to: bytes.count, by: 4 * 53) { (bytes[quad + 2], bytes[quad + 3]) = (pad, pad) }
        return bytes
    }()

    private static let initialTable: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { values[Int(character)] = UInt8(index) }
        return values
    }()

    private static var module: String {
        func data(_ bytes: [UInt8]) -> String { bytes.map { String(format: "\\%02x", $0) }.joined() }
        // The constant `in` is a multiple of four, as clang places a static array: scalar
        // evolution sees one sum, i + 32768, and constant displacements, but the loop computes
        // four. Where the count is a multiple of four too (`decode_quads`), i + 4 < n cannot wrap,
        // so LLVM widens i to 64 bits, and the sums, which still may wrap, become masks of the
        // 64-bit ones (base64's decoder).
        let constantInput = "(i32.add (local.get $i) (i32.const \(text)))"
        let parameterInput = "(i32.add (local.get $in) (local.get $i))"
        return """
            (module (memory 1)
              (data (i32.const \(table)) "\(data(initialTable))")
              (data (i32.const \(text)) "\(data(initialText))")
              (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
              \(decoder(name: "decode", parameters: "", input: constantInput))
              \(decoder(name: "decode_at", parameters: "(param $in i32)", input: parameterInput))
              \(decoder(name: "decode_quads", parameters: "", input: constantInput,
                        prologue: "(local.set $n (i32.and (local.get $n) (i32.const -4)))"))
              \(decoder(name: "decode_dividing", parameters: "", input: constantInput,
                        extra: "(local.set $v (i32.div_u (i32.const 1000) (i32.add (local.get $d) (i32.const 1))))"))
              (func (export "find") (param $in i32) (param $n i32) (param $c i32) (result i32) (local $i i32)
                (loop $pair
                  (if (i32.eq (i32.load8_u (i32.add (i32.add (local.get $in) (local.get $i)) (i32.const 1))) (local.get $c))
                    (then (return (i32.add (local.get $i) (i32.const 1)))))
                  (if (i32.eq (i32.load8_u (i32.add (local.get $in) (local.get $i))) (local.get $c)) (then (return (local.get $i))))
                  (br_if $pair (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 2))) (local.get $n))))
                (i32.const -1)))
            """
    }

    private enum Outcome: Equatable {
        case returned(Int32)
        case trapped
    }

    /// What the decoder does to `memory`, access by access, up to its first access past the end.
    private static func decode(_ memory: inout [UInt8], in input: Int, count: Int, out: Int) -> Outcome {
        var o = out
        func read(_ at: Int) -> UInt8? { at < memory.count ? memory[at] : nil }
        func value(_ at: Int) -> Int32? { read(at).map { Int32(Int8(bitPattern: memory[table + Int($0)])) } }
        var i = 0
        while true {
            guard let a = value(input + i), let b = value(input + i + 1), let third = read(input + i + 2),
                let c = third == pad ? 0 : value(input + i + 2), let fourth = read(input + i + 3),
                let d = fourth == pad ? 0 : value(input + i + 3)
            else { return .trapped }
            if (a | b | c | d) < 0 { return .returned(-1) }
            let v = UInt32(bitPattern: a << 18 | b << 12 | c << 6 | d)
            for (byte, written) in [(v >> 16, true), (v >> 8, third != pad), (v, fourth != pad)] where written {
                guard o < memory.count else { return .trapped }
                memory[o] = UInt8(truncatingIfNeeded: byte)
                o += 1
            }
            i += 4
            if i >= count { return .returned(Int32(o - out)) }
        }
    }

    func testTheDecodersAreVersionedAndTheSearchAndTheDividingLoopAreNot() throws {
        for level in [2, 3] {
            let functions = try optimisedWasmFunctions(Self.module, options: CompileOptions(optimizationLevel: level))
            func body(_ index: Int) throws -> String { try XCTUnwrap(functions.first { $0.name == "@\"wasm[\(index)]\"" }).body }
            XCTAssertTrue(try body(2).contains(".kiln.fallback"), "decode -O\(level)")
            XCTAssertTrue(try body(3).contains(".kiln.fallback"), "decode_at -O\(level)")
            XCTAssertTrue(try body(4).contains(".kiln.fallback"), "decode_quads -O\(level)")
            // Its four reads' masked sums are left in the fallback alone: the copy's are 64-bit.
            let masked = try Self.maskedAddresses(in: body(4))
            XCTAssertEqual(masked.count, 4, "decode_quads -O\(level): \(masked)")
            XCTAssertTrue(masked.allSatisfy { $0.hasSuffix(".kiln.fallback") }, "decode_quads -O\(level): \(masked)")
            XCTAssertFalse(try body(5).contains(".kiln.fallback"), "decode_dividing -O\(level)")
            XCTAssertFalse(try body(6).contains(".kiln.fallback"), "find -O\(level)")
        }
    }

    /// The blocks of `body` that mask a 64-bit address to 32 bits (`and i64 %x, 4294967292` to
    /// `4294967295`), one entry per mask.
    private static func maskedAddresses(in body: String) -> [String] {
        var block = "", blocks: [String] = []
        for line in body.split(separator: "\n") {
            if let label = line.split(separator: ":").first, !line.hasPrefix(" "), line.contains(":") { block = String(label) }
            if line.contains(" = and i64 "), let mask = line.split(separator: " ").last.flatMap({ UInt64($0) }),
                (0xFFFF_FFFC...0xFFFF_FFFF).contains(mask)
            {
                blocks.append(block)
            }
        }
        return blocks
    }

    /// A whole decode, one that meets a bad byte, text that runs past the memory's end with and
    /// without a bad byte before it, and output that does: the same result, the same bytes
    /// written and the same trap as the loop run access by access.
    func testTheyDecodeWriteAndTrapAsTheLoopDoes() throws {
        let cases: [(count: Int, out: Int, bad: Int?)] = [
            (4000, 1024, nil), (4000, 1024, 2001), (40000, 1024, nil), (40000, 1024, 29999), (4000, 65536 - 100, nil),
            (32768, 1024, nil),
        ]
        for level in [0, 2, 3] {
            let module = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level))
            for (name, input) in [("decode", []), ("decode_at", [Self.text]), ("decode_quads", [])] {
                for (count, out, bad) in cases {
                    let instance = try module.instantiate()
                    var memory = [UInt8](repeating: 0, count: 65536)
                    memory.replaceSubrange(Self.table..<Self.table + 256, with: Self.initialTable)
                    memory.replaceSubrange(Self.text..<65536, with: Self.initialText)
                    if let bad {
                        memory[Self.text + bad] = UInt8(ascii: "*")
                        _ = try instance.call("poke", [.i32(Int32(Self.text + bad)), .i32(42)])
                    }
                    let want = Self.decode(&memory, in: Self.text, count: count, out: out)
                    let context = "-O\(level) \(name) count=\(count) out=\(out) bad=\(bad.map(String.init) ?? "none")"
                    let got: Outcome
                    do {
                        let arguments = (input + [count, out]).map { Value.i32(Int32($0)) }
                        let results = try instance.call(name, arguments)
                        got = .returned(try XCTUnwrap(results.first?.asI32, context))
                    } catch let error as KilnError {
                        XCTAssertEqual(error.message, "out of bounds memory access", context)
                        got = .trapped
                    }
                    XCTAssertEqual(got, want, context)
                    for at in stride(from: out, to: min(out + count, 65536), by: 1) {
                        let byte = try instance.call("peek", [.i32(Int32(at))]).first?.asI32
                        guard byte == Int32(memory[at]) else {
                            XCTFail("\(context): the byte at \(at) is \(byte.map(String.init) ?? "?"), not \(memory[at])")
                            break
                        }
                    }
                }
            }
        }
    }
}
