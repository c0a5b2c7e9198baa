import Kiln
import KilnCompiler
import XCTest

/// Memory-loop versioning of a loop over a column of a static matrix, unrolled by two as clang
/// unrolls it for wasm32, with the column's start and the next element's kept as two pointers that
/// the outer loop steps (Householder QR's `col[i] /= v0` in qr_lsq). The inner loop starts from a
/// row the outer loop computes, so each address is `{4096,+,4m}<columns> + 4i + off` as a 32-bit
/// sum. Before Kiln 0.5.50 the constant of the outer recurrence stayed inside the sum, so the two
/// pointers were two groups of interleaved, gapped accesses, which LLVM vectorised with shuffles;
/// now it comes out (`constantAddend`), and they are one group, loaded and stored whole. Where
/// the column leaves the memory, the loop runs as written and traps where it would have, with the
/// stores before it done.
final class ColumnPairVersioningTests: XCTestCase {
    /// `scale(m, cols, v)` multiplies rows k + 1 ..< m of each column k < cols (at least one) by v.
    private let wat = """
        (module (memory (export "memory") 1)
          \(patternFillFunction)
          (func (export "scale") (param $m i32) (param $cols i32) (param $v i32)
            (local $k i32) (local $c0 i32) (local $c1 i32) (local $i i32) (local $off i32) (local $pairs i32)
            (local.set $c0 (i32.const 4096))
            (local.set $c1 (i32.const 4100))
            (loop $column
              (local.set $i (i32.add (local.get $k) (i32.const 1)))
              (if (i32.and (i32.sub (local.get $m) (local.get $i)) (i32.const 1))
                (then
                  (i32.store (i32.add (local.get $c0) (i32.shl (local.get $i) (i32.const 2)))
                    (i32.mul (i32.load (i32.add (local.get $c0) (i32.shl (local.get $i) (i32.const 2)))) (local.get $v)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))))
              (if (i32.lt_s (local.get $i) (local.get $m))
                (then
                  (local.set $off (i32.shl (local.get $i) (i32.const 2)))
                  (local.set $pairs (i32.shr_u (i32.sub (local.get $m) (local.get $i)) (i32.const 1)))
                  (loop $pair
                    (i32.store (i32.add (local.get $c0) (local.get $off))
                      (i32.mul (i32.load (i32.add (local.get $c0) (local.get $off))) (local.get $v)))
                    (i32.store (i32.add (local.get $c1) (local.get $off))
                      (i32.mul (i32.load (i32.add (local.get $c1) (local.get $off))) (local.get $v)))
                    (local.set $off (i32.add (local.get $off) (i32.const 8)))
                    (br_if $pair (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1)))))))
              (local.set $c0 (i32.add (local.get $c0) (i32.shl (local.get $m) (i32.const 2))))
              (local.set $c1 (i32.add (local.get $c1) (i32.shl (local.get $m) (i32.const 2))))
              (br_if $column (i32.lt_s (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $cols))))))
        """

    /// The loops in Swift, access by access in the program's order, over the memory `fill` leaves:
    /// the memory after them, and whether they trapped (at the first access outside the 64 KiB).
    private func expected(m: Int32, cols: Int32, v: UInt32) -> (memory: [UInt8], trapped: Bool) {
        var memory = patternFilledMemory()
        struct Trap: Error {}
        func scale(_ address: UInt32) throws {
            guard Int(address) + 4 <= memory.count else { throw Trap() }
            let at = Int(address)
            let value = (0..<4).reduce(UInt32(0)) { $0 | UInt32(memory[at + $1]) << (8 * $1) } &* v
            for k in 0..<4 { memory[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
        }
        var c0: UInt32 = 4096, c1: UInt32 = 4100, k: Int32 = 0
        do {
            repeat {
                var i = k &+ 1
                if (m &- i) & 1 != 0 {
                    try scale(c0 &+ UInt32(bitPattern: i) << 2)
                    i &+= 1
                }
                if i < m {
                    var offset = UInt32(bitPattern: i) << 2
                    var pairs = UInt32(bitPattern: m &- i) >> 1
                    repeat {
                        try scale(c0 &+ offset)
                        try scale(c1 &+ offset)
                        offset &+= 8
                        pairs &-= 1
                    } while pairs != 0
                }
                c0 &+= UInt32(bitPattern: m) << 2
                c1 &+= UInt32(bitPattern: m) << 2
                k &+= 1
            } while k < cols
        } catch {
            return (memory, true)
        }
        return (memory, false)
    }

    /// Runs the loops at each level in a fresh instance and compares the whole memory with the
    /// model's.
    private func check(m: Int32, cols: Int32, v: UInt32 = 0x9E37_79B9) throws {
        let arguments = [m, cols, Int32(bitPattern: v)].map { Value.i32($0) }
        try checkAgainstModel(wat, "scale", arguments, model: expected(m: m, cols: cols, v: v), "m=\(m) cols=\(cols)")
    }

    /// The two pointers are one group: one alias scope, and vector loads and stores of whole
    /// vectors, with no shuffle but a splat of v.
    func testTheColumnPairIsOneGroupAndVectorisesWhole() throws {
        let scale = try XCTUnwrap(optimisedWasmFunctions(wat).first { $0.name.hasPrefix("@\"wasm[1]") }).body
        XCTAssertTrue(scale.contains("mul <"), scale)
        let shuffles = scale.split(separator: "\n").filter { $0.contains("shufflevector") }
        XCTAssertTrue(shuffles.allSatisfy { $0.hasSuffix("zeroinitializer") }, scale)
    }

    func testTheLoopsComputeWhatTheyDo() throws {
        for (m, cols): (Int32, Int32) in [(40, 30), (41, 30), (40, 1), (3, 3), (200, 20)] {
            try check(m: m, cols: cols)
        }
    }

    /// Columns that run off the memory's end: the loops trap at the first access past it, with
    /// every store before it done.
    func testColumnsOutsideTheMemoryTrapAfterTheSameStores() throws {
        try check(m: 600, cols: 40)
        try check(m: 601, cols: 40)
    }
}
