import Foundation
import Kiln
import KilnCompiler
import XCTest

/// `CompileOptions.interruptible` and `Instance.interrupter`: a host stops a guest that never
/// returns, at every optimisation level, and the instance stays usable.
final class InterruptionTests: XCTestCase {
    static let spinner = """
        (module
          (global $turns (mut i32) (i32.const 0))
          ;; A loop with no call in it: only the check on each iteration can stop it.
          (func (export "spin") (loop $forever (global.set $turns (i32.add (global.get $turns) (i32.const 1))) (br $forever)))
          ;; Recursion without end: function entries check (and would exhaust the stack anyway).
          (func $deep (export "deep") (param i32) (call $deep (i32.add (local.get 0) (i32.const 1))))
          (func (export "turns") (result i32) (global.get $turns))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
        """

    func testAnInfiniteLoopIsInterruptedAndTheInstanceStaysUsable() throws {
        for level in 0...3 {
            let instance = try compileAndLoad(Self.spinner, options: CompileOptions(optimizationLevel: level, interruptible: true))
                .instantiate()
            defer { instance.close() }
            for round in 1...2 {
                let interrupter = instance.interrupter
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { interrupter.interrupt() }
                XCTAssertThrowsError(try instance.call("spin"), "-O\(level) round \(round)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "interrupted", "-O\(level)")
                }
                // The loop ran, and stopped: its global counted the turns it made (and may have
                // wrapped: at -O2 a chunk of turns is one addition).
                XCTAssertNotEqual(try instance.call("turns").first?.asI32, 0, "-O\(level)")
                XCTAssertEqual(try instance.call("add", [.i32(2), .i32(3)]).first?.asI32, 5, "-O\(level)")
            }
        }
    }

    static let countedLoops = """
        (module
          (memory 1)
          (global $turns (mut i32) (i32.const 0))
          ;; Counted, 2^64 - 1 times round: at -O2 and -O3 it checks once per chunk of iterations.
          (func (export "count") (local $i i64)
            (loop $next
              (global.set $turns (i32.add (global.get $turns) (i32.const 1)))
              (i32.store (i32.const 0) (global.get $turns))
              (local.set $i (i64.add (local.get $i) (i64.const 1)))
              (br_if $next (i64.ne (local.get $i) (i64.const -1)))))
          ;; The inner loop, a hundred times round, has no check of its own; the endless loop does.
          (func (export "nested") (local $j i32)
            (loop $outer
              (local.set $j (i32.const 0))
              (loop $inner
                (global.set $turns (i32.add (global.get $turns) (i32.const 1)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br_if $inner (i32.lt_u (local.get $j) (i32.const 100))))
              (br $outer)))
          ;; Two exits, one never taken (memory holds no 7): the check ticks where it is.
          (func (export "search") (local $at i32)
            (block $found
              (loop $scan
                (br_if $found (i32.eq (i32.load offset=4 (local.get $at)) (i32.const 7)))
                (global.set $turns (i32.add (global.get $turns) (i32.const 1)))
                (local.set $at (i32.and (i32.add (local.get $at) (i32.const 4)) (i32.const 0xfff0)))
                (br $scan))))
          (func (export "turns") (result i32) (global.get $turns))
          (func (export "stored") (result i32) (i32.load (i32.const 0))))
        """

    /// Loops whose checks InterruptCheckStripMining moved out or put behind a tick still stop,
    /// and the trap comes between two iterations: the global and the memory agree on how many ran.
    func testCountedLoopsAreInterruptedBetweenIterations() throws {
        for level in 0...3 {
            let instance = try compileAndLoad(
                Self.countedLoops, options: CompileOptions(optimizationLevel: level, interruptible: true)
            ).instantiate()
            defer { instance.close() }
            for function in ["count", "nested", "search"] {
                let before = try instance.call("turns").first?.asI32 ?? 0
                let interrupter = instance.interrupter
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { interrupter.interrupt() }
                XCTAssertThrowsError(try instance.call(function), "-O\(level) \(function)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "interrupted", "-O\(level) \(function)")
                }
                // (It may have wrapped: LLVM adds the inner loop's hundred at once.)
                XCTAssertNotEqual(try instance.call("turns").first?.asI32, before, "-O\(level) \(function)")
                if function == "count" {
                    XCTAssertEqual(try instance.call("stored").first?.asI32, try instance.call("turns").first?.asI32, "-O\(level)")
                }
            }
        }
    }

    /// y[i] += a * x[i] over n elements, and a fixed-length walk counted the way clang counts
    /// one for wasm32 (an offset up to zero, which instcombine turns into a masked 64-bit test
    /// while the loop still has its check), vectorise in interruptible code as they do without
    /// the option: the check is once per chunk, outside the vector loop, or gone.
    func testACountedLoopOfInterruptibleCodeVectorises() throws {
        let walk = """
            (module
              (memory 1)
              (func (export "scale") (param $src i32) (param $dst i32) (local $k i32)
                (local.set $k (i32.const -4088))
                (loop $next
                  (f32.store offset=4088 (i32.add (local.get $dst) (local.get $k))
                    (f32.mul (f32.const 2) (f32.load offset=4088 (i32.add (local.get $src) (local.get $k)))))
                  (local.set $k (i32.add (local.get $k) (i32.const 4)))
                  (br_if $next (local.get $k)))))
            """
        let axpy = """
            (module
              (memory 1)
              (func (export "axpy") (param $n i32) (param $a f64) (local $i i32) (local $at i32)
                (block $done
                  (br_if $done (i32.eqz (local.get $n)))
                  (loop $next
                    (local.set $at (i32.shl (local.get $i) (i32.const 3)))
                    (f64.store offset=32768 (local.get $at)
                      (f64.add (f64.load offset=32768 (local.get $at))
                               (f64.mul (local.get $a) (f64.load (local.get $at)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $next (i32.lt_u (local.get $i) (local.get $n)))))))
            """
        for (module, vector) in [(axpy, "x double>"), (walk, "x float>")] {
            for interruptible in [false, true] {
                let ir = try optimisedWasmFunctions(module, options: CompileOptions(interruptible: interruptible))
                    .map(\.body).joined(separator: "\n")
                XCTAssertTrue(ir.contains("vector.body"), "\(vector) interruptible: \(interruptible)")
                XCTAssertTrue(ir.contains(vector), "\(vector) interruptible: \(interruptible)")
            }
        }
        // The axpy loop's count is unknown: its check is still there, once per chunk.
        XCTAssertTrue(try optimisedWasmFunctions(axpy, options: CompileOptions(interruptible: true))
            .contains { $0.body.contains("load volatile") })
    }

    /// Loops whose induction steps by an argument, `do { n++; j += step } while (j PRED bound)`,
    /// one per comparison: scalar evolution does not count them, so InterruptCheckStripMining
    /// counts them under a run-time guard.
    static let steppedLoopPredicates = ["lt_u", "le_u", "lt_s", "le_s", "gt_u", "ge_u", "gt_s", "ge_s"]
    static let steppedLoops = "(module (memory 1)\n" + steppedLoopPredicates.map { predicate in
        """
          (func (export "walk_\(predicate)") (param $j i32) (param $step i32) (param $bound i32) (result i32) (local $n i32)
            (loop $next
              (i32.store8 (i32.and (local.get $j) (i32.const 0xffff)) (i32.const 1))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (local.set $j (i32.add (local.get $j) (local.get $step)))
              (br_if $next (i32.\(predicate) (local.get $j) (local.get $bound))))
            (local.get $n))
        """
    }.joined(separator: "\n") + ")"

    /// How many times a stepped loop's body runs, by Wasm's wrapping arithmetic; nil for more
    /// than a million (such loops go round forever or for billions of iterations).
    static func turns(_ predicate: String, start: Int32, step: Int32, bound: Int32) -> Int32? {
        var j = start, n: Int32 = 0
        func stays() -> Bool {
            switch predicate {
            case "lt_u": UInt32(bitPattern: j) < UInt32(bitPattern: bound)
            case "le_u": UInt32(bitPattern: j) <= UInt32(bitPattern: bound)
            case "gt_u": UInt32(bitPattern: j) > UInt32(bitPattern: bound)
            case "ge_u": UInt32(bitPattern: j) >= UInt32(bitPattern: bound)
            case "lt_s": j < bound
            case "le_s": j <= bound
            case "gt_s": j > bound
            default: j >= bound
            }
        }
        repeat {
            n += 1
            j = j &+ step
        } while stays() && n <= 1_000_000
        return n <= 1_000_000 ? n : nil
    }

    /// The guarded count is exact: short runs, runs of several chunks, runs that never enter,
    /// the chunk's edges, and runs where the guard fails and the checked copy runs (a bound so
    /// near the type's end that the induction could wrap), for every comparison and level.
    func testLoopsSteppingByARunTimeAmountGoRoundExactlyAsOften() throws {
        let min = Int32.min, max = Int32.max
        let upward: [(Int32, Int32, Int32)] = [
            (0, 3, 200_000), (5, 7, 100), (10, 3, 5), (0, 1, 16_382), (0, 1, 16_383), (0, 1, 16_384), (0, 1, 40_000),
            (-50_000, 5, 50_000), (Int32(bitPattern: 0xffff_fff2), 4, Int32(bitPattern: 0xffff_fffe)), (max - 13, 4, max - 1),
            (7, Int32(bitPattern: 0x8000_0001), 9),
        ]
        let downward: [(Int32, Int32, Int32)] = [
            (200_000, -3, 0), (100, -7, 5), (5, -3, 10), (40_000, -1, 0), (16_384, -1, 0), (50_000, -5, -50_000),
            (13, -4, 2), (min + 13, -4, min + 2),
        ]
        for level in 0...3 {
            let instance = try compileAndLoad(Self.steppedLoops, options: CompileOptions(optimizationLevel: level, interruptible: true))
                .instantiate()
            defer { instance.close() }
            for predicate in Self.steppedLoopPredicates {
                for (start, step, bound) in predicate.hasPrefix("l") ? upward : downward {
                    // (A step of nearly 2^31 wraps a signed induction round and round.)
                    guard let expected = Self.turns(predicate, start: start, step: step, bound: bound) else { continue }
                    let turns = try instance.call("walk_\(predicate)", [.i32(start), .i32(step), .i32(bound)]).first?.asI32
                    XCTAssertEqual(turns, expected, "-O\(level) \(predicate) from \(start) by \(step) to \(bound)")
                }
            }
        }
    }

    /// A stepped loop is interrupted both when its guard holds (a long count, in chunks) and when
    /// it does not (a step of zero goes round forever, in the checked copy); at -O2 it takes
    /// the counted form, with no tick on each iteration.
    func testLoopsSteppingByARunTimeAmountAreInterrupted() throws {
        for level in 0...3 {
            let instance = try compileAndLoad(Self.steppedLoops, options: CompileOptions(optimizationLevel: level, interruptible: true))
                .instantiate()
            defer { instance.close() }
            for step: Int32 in [1, 0] {
                // Soon after the call starts: by 1 to 2^32 - 16, vectorised, takes some 30 ms at
                // -O2. An interrupt that comes before the call stays pending until its first check.
                let interrupter = instance.interrupter, interrupted = DispatchSemaphore(value: 0)
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.002) {
                    interrupter.interrupt()
                    interrupted.signal()
                }
                XCTAssertThrowsError(try instance.call("walk_lt_u", [.i32(0), .i32(step), .i32(-16)]), "-O\(level) by \(step)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "interrupted", "-O\(level) by \(step)")
                }
                // The interrupter is valid only while the instance is open.
                interrupted.wait()
            }
            XCTAssertEqual(try instance.call("walk_lt_u", [.i32(0), .i32(2), .i32(10)]).first?.asI32, 5, "-O\(level)")
        }
        let ir = try optimisedWasmFunctions(Self.steppedLoops, options: CompileOptions(interruptible: true))
        XCTAssertEqual(ir.count, Self.steppedLoopPredicates.count)
        for (name, body) in ir {
            XCTAssertTrue(body.contains("interrupt.guard") && body.contains("interrupt.count"), name)
            XCTAssertFalse(body.contains("interrupt.spent"), name)
        }
    }

    /// An interrupt that finds no call running ends the next call at once, then is used up.
    func testAnInterruptBetweenCallsEndsTheNextCall() throws {
        let instance = try compileAndLoad(Self.spinner, options: CompileOptions(interruptible: true)).instantiate()
        defer { instance.close() }
        instance.interrupter.interrupt()
        XCTAssertThrowsError(try instance.call("add", [.i32(1), .i32(1)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "interrupted")
        }
        XCTAssertEqual(try instance.call("add", [.i32(1), .i32(1)]).first?.asI32, 2)
    }

    /// The raised stack limit is how an interrupt is delivered: a real exhaustion, with no
    /// interrupt, is still reported as one.
    func testRecursionWithoutAnInterruptStillExhaustsTheStack() throws {
        let instance = try compileAndLoad(Self.spinner, options: CompileOptions(interruptible: true)).instantiate()
        defer { instance.close() }
        XCTAssertThrowsError(try instance.call("deep", [.i32(0)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "call stack exhausted")
        }
    }

    /// The option is in the fingerprint, and so in every cache key.
    func testInterruptibleCodeHasItsOwnFingerprint() throws {
        let plain = try CompilerFingerprint.current(for: CompileOptions()).description
        let interruptible = try CompilerFingerprint.current(for: CompileOptions(interruptible: true)).description
        XCTAssertFalse(plain.contains("interruptible"))
        XCTAssertEqual(interruptible, plain + "; interruptible")
    }
}
