import Kiln
import KilnCompiler
import XCTest

/// Memory-loop versioning of a loop whose exit test needs its induction to meet a bound exactly
/// while stepping by more than one: `c[j] -= a * b[j]` unrolled by two as clang emits it for
/// wasm32 with a constant row length (lu_solve's row update), j stepping by two until it equals
/// 800. Scalar evolution counts it only if 800 - j is even (otherwise j steps over 800 and on,
/// round the 32 bits); the copy runs when it is, and the scalar loop, with its exact traps,
/// otherwise. The same, since Kiln 0.5.38, for a copy loop counting down while it is above a
/// constant below the step less one, which takes only the memory-copy path.
final class StridedExitVersioningTests: XCTestCase {
    private let wat = """
        (module (memory (export "memory") 1)
          (func (export "fill") (local $i i32)
            (loop $next
              (f64.store (i32.shl (local.get $i) (i32.const 3))
                (f64.mul (f64.convert_i32_u (i32.rem_u (local.get $i) (i32.const 97))) (f64.const 0.5)))
              (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 8192)))))
          (func (export "read") (param $at i32) (result f64) (f64.load (local.get $at)))
          (func (export "axpy") (param $c i32) (param $b i32) (param $j i32) (param $a f64) (local $at i32) (local $from i32)
            (loop $pair
              (local.set $at (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
              (local.set $from (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
              (f64.store (local.get $at)
                (f64.sub (f64.load (local.get $at)) (f64.mul (local.get $a) (f64.load (local.get $from)))))
              (f64.store offset=8 (local.get $at)
                (f64.sub (f64.load offset=8 (local.get $at)) (f64.mul (local.get $a) (f64.load offset=8 (local.get $from)))))
              (br_if $pair (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 2))) (i32.const 800)))))
          (func (export "copy_down") (param $d i32) (param $s i32) (param $n i32) (local $at i32) (local $from i32)
            (loop $four
              (local.set $n (i32.sub (local.get $n) (i32.const 32)))
              (local.set $at (i32.add (local.get $d) (local.get $n)))
              (local.set $from (i32.add (local.get $s) (local.get $n)))
              (f64.store offset=24 (local.get $at) (f64.load offset=24 (local.get $from)))
              (f64.store offset=16 (local.get $at) (f64.load offset=16 (local.get $from)))
              (f64.store offset=8 (local.get $at) (f64.load offset=8 (local.get $from)))
              (f64.store (local.get $at) (f64.load (local.get $from)))
              (br_if $four (i32.gt_u (local.get $n) (i32.const 15))))))
        """

    /// The memory the scalar loop leaves (as 8,192 doubles), and whether it trapped: each half
    /// loads c[j], then b[j], then stores c[j], and the first access past the end traps. The
    /// addresses are 32-bit sums, and j wraps.
    private func expected(c: Int, b: Int, j start: Int, a: Double) -> (memory: [Double], trapped: Bool) {
        var memory = (0..<8192).map { Double($0 % 97) * 0.5 }
        var j = UInt32(start)
        repeat {
            let at = Int(UInt32(c) &+ j &* 8), from = Int(UInt32(b) &+ j &* 8)
            for half in [0, 8] {
                guard at + half + 8 <= 65536, from + half + 8 <= 65536 else { return (memory, true) }
                memory[(at + half) / 8] -= a * memory[(from + half) / 8]
            }
            j &+= 2
        } while j != 800
        return (memory, false)
    }

    func testTheLoopIsVersionedAndVectorised() throws {
        let functions = try optimisedWasmFunctions(wat)
        let axpy = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[2]") }).body
        XCTAssertTrue(axpy.contains(".kiln.fallback"), axpy)
        XCTAssertTrue(axpy.contains("x double>"), axpy)
        let copyDown = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[3]") }).body
        // Taken only as a copy: not cloned, but given the memory-copy path.
        XCTAssertTrue(copyDown.contains("kiln.memory.copy"), copyDown)
    }

    /// `do n -= 32, d[n..n+31] = s[n..n+31] while (n > 15)`, four doubles at a time down to the
    /// remainder, as musl's memmove copies words (`while (n >= 4)`, unrolled by four): counted
    /// where n starts at most 15 above a multiple of 32, and then one memory copy where the
    /// ranges allow (CopyLoopTests); elsewhere n steps below zero, wraps, and the loop runs on
    /// from the top of the 32-bit range until it traps.
    func testTheDownwardLoopStoresWhatTheScalarOneDoesAndTrapsWhereItDoes() throws {
        let cases: [(d: Int, s: Int, n: Int)] = [(32768, 8192, 16384), (32768, 8192, 16392), (32768, 8192, 16400), (8200, 8192, 4096), (8192, 8200, 4096)]
        for level in [0, 2, 3] {
            let module = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
            for (d, s, n) in cases {
                let instance = try module.instantiate()
                _ = try instance.call("fill")
                var memory = (0..<8192).map { Double($0 % 97) * 0.5 }
                var trapped = false
                var left = UInt32(n)
                repeat {
                    left &-= 32
                    let at = Int(UInt32(d) &+ left), from = Int(UInt32(s) &+ left)
                    for offset in [24, 16, 8, 0] {
                        guard at + offset + 8 <= 65536, from + offset + 8 <= 65536 else { trapped = true; break }
                        memory[(at + offset) / 8] = memory[(from + offset) / 8]
                    }
                } while !trapped && left > 15
                let context = "-O\(level) d=\(d) s=\(s) n=\(n)"
                callAsModelled(instance, "copy_down", [.i32(Int32(d)), .i32(Int32(s)), .i32(Int32(n))], trapped: trapped, context)
                let firstDifference = try (0..<8192).first { index in
                    try instance.call("read", [.i32(Int32(8 * index))]) != [.f64(memory[index])]
                }
                XCTAssertNil(firstDifference, "\(context): memory differs from the scalar loop's at double \(firstDifference ?? 0)")
            }
        }
    }

    /// Rows the copy may run (an even distance to 800), rows that overlap what they read (it must
    /// not), and odd starts, which step over 800 and run on to the end of the memory, where they
    /// trap half an iteration in.
    func testTheLoopComputesWhatTheScalarOneDoesAndTrapsWhereItDoes() throws {
        let cases: [(c: Int, b: Int, j: Int)] = [(8192, 1024, 0), (8200, 1032, 798), (8192, 8200, 0), (8192, 1024, 1), (1024, 40000, 3)]
        for level in [0, 2, 3] {
            let module = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
            for (c, b, j) in cases {
                let instance = try module.instantiate()
                _ = try instance.call("fill")
                let want = expected(c: c, b: b, j: j, a: 1.25)
                let context = "-O\(level) c=\(c) b=\(b) j=\(j)"
                callAsModelled(instance, "axpy", [.i32(Int32(c)), .i32(Int32(b)), .i32(Int32(j)), .f64(1.25)],
                               trapped: want.trapped, context)
                let firstDifference = try (0..<8192).first { index in
                    try instance.call("read", [.i32(Int32(8 * index))]) != [.f64(want.memory[index])]
                }
                XCTAssertNil(firstDifference, "\(context): memory differs from the scalar loop's at double \(firstDifference ?? 0)")
            }
        }
    }
}
