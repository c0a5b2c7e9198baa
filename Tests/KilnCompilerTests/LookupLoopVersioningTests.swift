import Kiln
import KilnCompiler
import XCTest

/// Memory-loop versioning of loops that look up a table and count under a condition: a base64
/// encoder as clang emits it for wasm32 (`for (i = 0; i + 3 <= n; i += 3)`, which scalar
/// evolution counts only if `i + 6` does not wrap, and `digits[v & 63]`, whose address is no
/// recurrence but a span of 64 bytes). The copy runs when the count's condition holds and every
/// range, the table's included, is inside the memory; otherwise the scalar loop runs and traps
/// where it would have, with the bytes before the trap stored.
final class LookupLoopVersioningTests: XCTestCase {
    /// The encoder, with its 64-byte alphabet at `table` (a 40-byte alphabet when the table
    /// would not fit: lookups past it leave the memory), plus `fill` for the input and `byte` to
    /// read memory back.
    private func encoder(tableAt table: Int) -> String {
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let stored = String(alphabet.prefix(min(64, 65536 - table)))
        return """
            (module (memory (export "memory") 1)
              (data (i32.const \(table)) "\(stored)")
              (func (export "fill") (param $at i32) (param $n i32) (local $i i32)
                (loop $next
                  (i32.store8 (i32.add (local.get $at) (local.get $i))
                    (i32.add (i32.mul (local.get $i) (i32.const 37)) (i32.const 11)))
                  (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
              (func (export "byte") (param $at i32) (result i32) (i32.load8_u (local.get $at)))
              (func (export "encode") (param $in i32) (param $n i32) (param $out i32) (result i32)
                (local $o i32) (local $i i32) (local $p i32) (local $b1 i32) (local $b2 i32) (local $next i32)
                (local.set $o (local.get $out))
                (block $done
                  (br_if $done (i32.lt_u (local.get $n) (i32.const 3)))
                  (loop $group
                    (local.set $b1 (i32.load8_u offset=1 (local.tee $p (i32.add (local.get $in) (local.get $i)))))
                    (local.set $b2 (i32.load8_u offset=2 (local.get $p)))
                    (i32.store8 (local.get $o)
                      (i32.load8_u (i32.add (i32.shr_u (local.tee $p (i32.load8_u (local.get $p))) (i32.const 2)) (i32.const \(table)))))
                    (i32.store8 offset=3 (local.get $o)
                      (i32.load8_u (i32.add (i32.and (local.get $b2) (i32.const 63)) (i32.const \(table)))))
                    (i32.store8 offset=2 (local.get $o)
                      (i32.load8_u (i32.add (i32.and (i32.shr_u (i32.or (local.get $b2) (local.tee $b1 (i32.shl (local.get $b1) (i32.const 8))))
                                                                (i32.const 6)) (i32.const 63)) (i32.const \(table)))))
                    (i32.store8 offset=1 (local.get $o)
                      (i32.load8_u (i32.add (i32.and (i32.shr_u (i32.or (local.get $b1) (i32.shl (local.get $p) (i32.const 16)))
                                                                (i32.const 12)) (i32.const 63)) (i32.const \(table)))))
                    (local.set $o (i32.add (local.get $o) (i32.const 4)))
                    (local.set $next (i32.add (local.get $i) (i32.const 6)))
                    (local.set $i (i32.add (local.get $i) (i32.const 3)))
                    (br_if $group (i32.le_u (local.get $next) (local.get $n)))))
                (i32.sub (local.get $o) (local.get $out))))
            """
    }

    private let input = 4096

    /// What the scalar loop stores from `out` on (64 KiB of memory, the table at `table`): the
    /// encoding of the filled input, each group's digits in the loop's order (0, 3, 2, 1), up to
    /// the first lookup or store outside the memory, where it traps.
    private func expected(n: Int, out: Int, tableAt table: Int) -> (stored: [Int: UInt8], length: Int, trapped: Bool) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let data = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
        var stored: [Int: UInt8] = [:]
        for group in 0..<(n / 3) {
            let v = UInt32(data[3 * group]) << 16 | UInt32(data[3 * group + 1]) << 8 | UInt32(data[3 * group + 2])
            for k in [0, 3, 2, 1] {
                let index = Int(v >> (18 - 6 * UInt32(k)) & 63), at = out + 4 * group + k
                guard table + index < 65536, at < 65536 else { return (stored, 0, true) }
                stored[at] = alphabet[index]
            }
        }
        return (stored, 4 * (n / 3), false)
    }

    /// Encodes `n` bytes to `out` in a fresh instance at each level and compares every byte from
    /// `out` to the end of the encoding (or of the memory) with the scalar loop's.
    private func checkEncoding(n: Int, out: Int, tableAt table: Int) throws {
        let want = expected(n: n, out: out, tableAt: table)
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(encoder(tableAt: table), options: CompileOptions(optimizationLevel: level)).instantiate()
            _ = try instance.call("fill", [.i32(Int32(input)), .i32(Int32(n))])
            let context = "-O\(level) n=\(n) out=\(out) table=\(table)"
            let arguments: [Value] = [.i32(Int32(input)), .i32(Int32(n)), .i32(Int32(out))]
            if let produced = callAsModelled(instance, "encode", arguments, trapped: want.trapped, context) {
                XCTAssertEqual(produced, [.i32(Int32(want.length))], context)
            }
            let end = min(out + 4 * (n / 3) + 4, 65536)
            let got = try (out..<end).map { try instance.call("byte", [.i32(Int32($0))]).first?.asI32 }
            let firstDifference = (out..<end).first { got[$0 - out] != Int32(want.stored[$0] ?? 0) }
            XCTAssertNil(firstDifference, "\(context): the bytes differ from the scalar loop's at \(firstDifference ?? 0)")
        }
    }

    func testTheEncoderIsVersionedAndVectorised() throws {
        let encode = try XCTUnwrap(optimisedWasmFunctions(encoder(tableAt: 1024)).first { $0.name.hasPrefix("@\"wasm[2]") }).body
        XCTAssertTrue(encode.contains(".kiln.fallback"), encode)
        XCTAssertTrue(encode.contains("x i8>"), encode)
    }

    func testTheEncoderComputesWhatTheScalarLoopDoes() throws {
        for (n, out) in [(3000, 16384), (2999, 16385), (95, 20000), (2, 24000), (3, 24100)] {
            try checkEncoding(n: n, out: out, tableAt: 1024)
        }
    }

    /// Output that runs off the end of the memory: the versioned copy must not run, and the
    /// scalar loop traps at the store past the end with every byte before it stored.
    func testAnEncodingPastTheEndTrapsAfterTheSameStores() throws {
        try checkEncoding(n: 300, out: 65536 - 10, tableAt: 1024)
    }

    /// A table that is not all inside the memory: its span fails the check, and the scalar loop
    /// traps at the first digit whose lookup leaves the memory.
    func testALookupPastTheEndTrapsAfterTheSameStores() throws {
        try checkEncoding(n: 300, out: 16384, tableAt: 65536 - 40)
    }
}
