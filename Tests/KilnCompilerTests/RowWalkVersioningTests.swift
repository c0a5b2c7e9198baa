import Kiln
import KilnCompiler
import XCTest

/// Memory-loop versioning of a walk along the rows of an image, as a PNG-style filter is written:
/// `out[i] = cur[i] + prev[i] - cur[i - 3]`, where `cur` steps a row at a time in an outer loop and
/// `prev` is `cur - 64`. The three reads are one array a constant distance apart, but their 32-bit
/// sums start with the constant inside the outer loop's recurrence ({{img - 3,+,64}<rows>,+,1}),
/// so before Kiln 0.5.44 each was a group of its own: three ranges to check and three addresses
/// to keep in registers (delta_rle's filter loop spilled them). The copy runs when every range is
/// inside the memory and the output does not overlap the image; otherwise the scalar loop runs
/// and traps where it would have, with the stores before it done.
final class RowWalkVersioningTests: XCTestCase {
    private static let width = 64

    /// `fill` writes a pattern over the whole memory; `byte` reads one back.
    private let wat = """
        (module (memory (export "memory") 1)
          \(patternFillFunction)
          (func (export "byte") (param $at i32) (result i32) (i32.load8_u (local.get $at)))
          (func (export "rows") (param $img i32) (param $out i32) (param $h i32)
            (local $y i32) (local $i i32) (local $cur i32) (local $o i32) (local $a i32) (local $p i32)
            (local.set $cur (local.get $img))
            (local.set $o (local.get $out))
            (loop $row
              (local.set $i (i32.const 0))
              (loop $column
                (local.set $a (i32.const 0))
                (if (i32.ge_u (local.get $i) (i32.const 3))
                  (then (local.set $a (i32.load8_u (i32.add (i32.add (local.get $cur) (local.get $i)) (i32.const -3))))))
                (local.set $p (i32.const 0))
                (if (local.get $y)
                  (then (local.set $p (i32.load8_u (i32.add (i32.add (local.get $cur) (local.get $i)) (i32.const -64))))))
                (i32.store8 (i32.add (local.get $o) (local.get $i))
                  (i32.sub (i32.add (i32.load8_u (i32.add (local.get $cur) (local.get $i))) (local.get $p)) (local.get $a)))
                (br_if $column (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 64))))
              (local.set $cur (i32.add (local.get $cur) (i32.const 64)))
              (local.set $o (i32.add (local.get $o) (i32.const 64)))
              (br_if $row (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 1))) (local.get $h))))))
        """

    /// The memory after `fill` and the scalar loop, access by access in the program's order, and
    /// whether it trapped (at the first access outside the 64 KiB).
    private func expected(img: UInt32, out: UInt32, rows: Int) -> (memory: [UInt8], trapped: Bool) {
        var memory = patternFilledMemory()
        var (cur, o) = (img, out)
        for y in 0..<max(rows, 1) {
            for i in 0..<UInt32(Self.width) {
                var (a, p) = (0, 0)
                if i >= 3 {
                    let at = cur &+ i &- 3
                    guard at < 65536 else { return (memory, true) }
                    a = Int(memory[Int(at)])
                }
                if y != 0 {
                    let at = cur &+ i &- 64
                    guard at < 65536 else { return (memory, true) }
                    p = Int(memory[Int(at)])
                }
                let from = cur &+ i, to = o &+ i
                guard from < 65536, to < 65536 else { return (memory, true) }
                memory[Int(to)] = UInt8(truncatingIfNeeded: Int(memory[Int(from)]) + p - a)
            }
            (cur, o) = (cur &+ 64, o &+ 64)
        }
        return (memory, false)
    }

    /// Filters `rows` rows at each level in a fresh instance and compares the output rows (and a
    /// row either side) with the scalar loop's.
    private func check(img: UInt32, out: UInt32, rows: Int) throws {
        let want = expected(img: img, out: out, rows: rows)
        let window = Int(out) - Self.width..<min(Int(out) + Self.width * (rows + 1), 65536)
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            _ = try instance.call("fill", [])
            let context = "-O\(level) img=\(img) out=\(out) rows=\(rows)"
            callAsModelled(instance, "rows", [.i32(Int32(bitPattern: img)), .i32(Int32(bitPattern: out)), .i32(Int32(rows))],
                           trapped: want.trapped, context)
            let firstDifference = try window.first { at in
                try instance.call("byte", [.i32(Int32(at))]).first?.asI32 != Int32(want.memory[at])
            }
            XCTAssertNil(firstDifference, "\(context): the bytes differ from the scalar loop's at \(firstDifference ?? 0)")
        }
    }

    /// The reads of one row walk are one group: in the versioned copy, two of them are addressed
    /// as constant displacements (3, 61 or 64 bytes) from the third's address.
    func testTheRowsReadsShareOneAddress() throws {
        let rows = try XCTUnwrap(optimisedWasmFunctions(wat).first { $0.name.hasPrefix("@\"wasm[2]") }).body
        XCTAssertTrue(rows.contains(".kiln.fallback"), rows)
        let displacements = rows.split(separator: "\n").filter { $0.contains("%kiln.member") && $0.contains("getelementptr") }
            .compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
        XCTAssertFalse(Set(displacements.map(abs)).isDisjoint(with: [3, 61, 64]), rows)
    }

    func testTheRowsFilterAsTheScalarLoopDoes() throws {
        try check(img: 1024, out: 16384, rows: 8)
        // The first row starts at 0: the read of cur[i - 3] taken from i = 0 would wrap, so the
        // range check fails and the scalar loop runs (and reads cur[i - 3] only from i = 3).
        try check(img: 0, out: 16384, rows: 4)
        // Output overlapping the image: later rows read what earlier ones wrote.
        try check(img: 2048, out: 2048 + 32, rows: 6)
    }

    /// Rows that run off the end of the memory, reading or writing: the scalar loop traps at the
    /// first access past the end, with every store before it done.
    func testRowsPastTheEndTrapAfterTheSameStores() throws {
        try check(img: 65536 - 64 * 3, out: 16384, rows: 5)
        try check(img: 1024, out: 65536 - 100, rows: 3)
    }
}
