import Foundation
import Kiln
@testable import KilnCompiler
import XCTest

/// Traps are exact (DESIGN.md, decision 10): an out-of-bounds load traps even when the optimiser
/// can prove its value unused, and before any later trap, at every optimisation level. These are
/// the differential fuzzer's first findings (issue 12); tests/fuzz/regressions holds them too.
final class ExactTrapTests: XCTestCase {
    private let levels = [0, 1, 2, 3]

    func testLoadsWhoseValueIsProvablyUnusedTrap() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "brif") (block i32.const 70000 i32.load br_if 0))
              (func (export "mul0") (result i32) i32.const 70000 i32.load i32.const 0 i32.mul)
              (func (export "sel") (param i32) (result i32)
                (select (i32.load (i32.const 70000)) (i32.const 7) (local.get 0))))
            """, calls: [("brif", []), ("mul0", []), ("sel", [.i32(0)])])
    }

    func testLoadsWhoseValueIsDiscardedByABranchTrap() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "br0") (block i32.const 70000 i32.load br 0))
              (func (export "ret") i32.const 70000 i32.load return)
              (func (export "lane") (block i32.const 70000 v128.const i64x2 0 0 v128.load32_lane 0 br 0)))
            """, calls: [("br0", []), ("ret", []), ("lane", [])])
    }

    func testALoadTrapsBeforeALaterDivisionByZero() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "order") (param i32) (result i32)
                (i32.load (i32.const 70000)) (i32.div_s (i32.const 1) (local.get 0)) i32.add))
            """, calls: [("order", [.i32(0)])])
    }

    /// Smith seed 1000119: the value reaches the result only through a chain the code generator
    /// can decide (a bitmask of a splatted boolean is always 0), after the IR passes could not.
    func testALoadWhoseValueOnlyTheCodeGeneratorProvesUnusedTraps() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "bitmask_of_a_splat") (param i32 i32) (result i32)
                (i32.ge_u
                  (i8x16.bitmask (i32x4.splat (i32x4.all_true (v128.load16x4_s offset=70000 align=1 (local.get 0)))))
                  (local.get 1))))
            """, calls: [("bitmask_of_a_splat", [.i32(0), .i32(1)])])
    }

    /// A load whose value leaves its block in a phi is released from the witness only if its bits
    /// certainly reach something that stays (LoadBits), wherever that is: a loop's sum that is
    /// returned, yes; one that is only compared after the loop, no (before Kiln 0.5.19 any path
    /// from the phi counted, so a fold after the release could still have deleted the loads).
    /// Bijections such as xorshift's `x ^ (x >> k)` pass every bit on.
    func testLoadsCarriedByAPhiAreReleasedOnlyWhenTheirBitsCertainlyReachAnAnchor() throws {
        let functions = try optimisedWasmFunctions("""
            (module (memory 1)
              (func (export "sum_compared") (param i32 i32) (result i32) (local i32)
                (loop
                  (local.set 2 (i32.add (local.get 2) (i32.load (local.get 0))))
                  (local.set 0 (i32.add (local.get 0) (i32.const 4)))
                  (br_if 0 (i32.lt_u (local.get 0) (local.get 1))))
                (i32.eqz (local.get 2)))
              (func (export "sum_returned") (param i32 i32) (result i32) (local i32)
                (loop
                  (local.set 2 (i32.add (local.get 2) (i32.load (local.get 0))))
                  (local.set 0 (i32.add (local.get 0) (i32.const 4)))
                  (br_if 0 (i32.lt_u (local.get 0) (local.get 1))))
                (i32.xor (local.get 2) (i32.const -1)))
              (func (export "xorshift_stored") (param i32) (local i64)
                (local.set 1 (i64.load (local.get 0)))
                (local.set 1 (i64.xor (local.get 1) (i64.shr_u (local.get 1) (i64.const 12))))
                (local.set 1 (i64.xor (local.get 1) (i64.shl (local.get 1) (i64.const 25))))
                (i64.store (local.get 0) (local.get 1))))
            """, options: CompileOptions(optimizationLevel: 2))
        // What the witness still holds at the end is handed to an empty asm statement's use.
        func witnessed(_ index: Int) throws -> Bool {
            try XCTUnwrap(functions.first { $0.name == "@\"wasm[\(index)]\"" }).body.contains("asm sideeffect")
        }
        XCTAssertTrue(try witnessed(0), "sum_compared")
        XCTAssertFalse(try witnessed(1), "sum_returned")
        XCTAssertFalse(try witnessed(2), "xorshift_stored")
    }

    /// After the last IR pass the witness is retired (LoadWitnessRetirement): each value it still
    /// holds is kept by an empty asm statement's use where it is computed, so the code generator
    /// sees no accumulator and no publish, and the loads still trap: those only compared in a
    /// byte-compare loop (what `memcmp` inlines to), a loaded table entry that only decides a
    /// branch, a lane of a vector load only compared, and a load whose value is dropped.
    func testTheWitnessIsRetiredBeforeCodeGenerationAndItsLoadsStillTrap() throws {
        let wat = """
            (module (memory 1)
              (func (export "compare") (param i32 i32) (result i32)
                (loop
                  (if (i32.ne (i32.load8_u (local.get 0)) (i32.load8_u (local.get 1))) (then (return (i32.const 1))))
                  (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                  (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                  (br_if 0 (i32.load8_u (local.get 0))))
                (i32.const 0))
              (func (export "table_check") (param i32)
                (if (i32.lt_s (i32.load8_s offset=65000 (local.get 0)) (i32.const 0)) (then (i32.store (i32.const 0) (i32.const 1)))))
              (func (export "lanes_compared") (param i32) (result i32)
                (i32x4.all_true (i32x4.eq (v128.load (local.get 0)) (v128.const i32x4 0 0 0 0))))
              (func (export "dropped") (param i32) (drop (i64.load (local.get 0)))))
            """
        for level in [2, 3] {
            let functions = try optimisedWasmFunctions(wat, options: CompileOptions(optimizationLevel: level))
            XCTAssertEqual(functions.count, 4)
            for function in functions {
                XCTAssertFalse(function.body.contains("kiln_load_witness"), "\(function.name) at -O\(level)")
                XCTAssertTrue(function.body.contains("asm sideeffect"), "\(function.name) at -O\(level)")
            }
        }
        try assertEveryCallTraps(wat, calls: [
            ("compare", [.i32(65535), .i32(65535)]), ("compare", [.i32(0), .i32(70000)]),
            ("table_check", [.i32(1000)]), ("lanes_compared", [.i32(65530)]), ("dropped", [.i32(65532)]),
        ])
    }

    /// A retired load that a sign extension widens is kept through the extension (the asm
    /// statement takes the 32-bit value), so that the code generator can fold the two into one
    /// `movsbl` from memory; the load still traps before the store after it. The shape of
    /// base64's decoder: bytes looked up in a table of signed values, checked, then combined.
    func testASignExtendedRetiredLoadIsKeptThroughItsExtensionAndStillTraps() throws {
        let wat = """
            (module (memory 1) (data (i32.const 0) "\\01\\02\\00\\ff\\ff") (data (i32.const 65401) "\\03\\05")
              (func (export "decode") (param i32 i32) (result i32) (local i32 i32)
                (loop
                  (local.set 2 (i32.load8_s offset=65400 (i32.load8_u (local.get 0))))
                  (local.set 3 (i32.load8_s offset=65400 (i32.load8_u offset=1 (local.get 0))))
                  (if (i32.lt_s (i32.or (local.get 2) (local.get 3)) (i32.const 0)) (then (return (i32.const -1))))
                  (i32.store (local.get 1) (i32.or (i32.shl (local.get 2) (i32.const 4)) (local.get 3)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 2)))
                  (local.set 1 (i32.add (local.get 1) (i32.const 4)))
                  (br_if 0 (i32.load8_u (local.get 0))))
                (i32.load (i32.const 100))))
            """
        let functions = try optimisedWasmFunctions(wat, options: CompileOptions(optimizationLevel: 2))
        let body = try XCTUnwrap(functions.first).body
        XCTAssertTrue(body.contains(#"asm sideeffect "", "r"(i32 %"#), body)
        let extended = body.split(separator: "\n").filter { $0.contains("= sext i8 %") }
        XCTAssertFalse(extended.isEmpty, body)
        for line in extended {
            let name = line.split(separator: " ")[0]
            XCTAssertTrue(body.contains(#"asm sideeffect "", "r"(i32 \#(name))"#), "\(name) is not kept:\n\(body)")
        }
        // Bytes 1 and 2 look up 3 and 5, stored as 0x35; byte 2's successor, 0, ends the loop.
        for level in levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            XCTAssertEqual(try instance.call("decode", [.i32(0), .i32(100)]), [.i32(0x35)], "at -O\(level)")
        }
        // 0xff + 65400 is past the end.
        try assertEveryCallTraps(wat, calls: [("decode", [.i32(3), .i32(100)])])
    }

    /// A load across the end of memory traps even when only its low bytes are used, which the
    /// code generator would otherwise load on their own, in bounds.
    func testALoadStraddlingTheEndOfMemoryTrapsWhenOnlyItsLowBytesAreUsed() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "store8") (param i32) (i32.store8 (i32.const 0) (i32.load (local.get 0))))
              (func (export "mask") (param i32) (result i32) (i32.and (i32.load (local.get 0)) (i32.const 0xff)))
              (func (export "wrap") (param i32) (result i32) (i32.wrap_i64 (i64.load (local.get 0)))))
            """, calls: [("store8", [.i32(65533)]), ("mask", [.i32(65534)]), ("wrap", [.i32(65532)])])
    }

    /// The load only feeds its own next address through a loop-carried value that is never used:
    /// the loop has no other effect, so it must keep the load's witness or it is deleted whole.
    func testAPointerChaseWhoseResultIsUnusedTraps() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "chase") (param i32 i32) (local $p i32)
                (local.set $p (local.get 0))
                (loop $next
                  (local.set $p (i32.load (local.get $p)))
                  (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
                  (br_if $next (i32.ne (local.get 1) (i32.const 0))))))
            """, calls: [("chase", [.i32(70000), .i32(3)])])
    }

    /// A loop with no way out has no return, trap or call at which its loads' witness is
    /// published; unless the loop keeps it itself, its loads (and those before it whose values
    /// wait for code after it) are deleted and it spins where Wasm traps. Some loops only lose
    /// their way out to the optimiser: an exit on a constant once
    /// inlined (`spin_from`), one on a loop-invariant condition that unswitching hoists
    /// (`until`, at -O3). Without LoopWitnessKeeper these calls never return, so each runs with
    /// a deadline.
    func testAnEndlessLoopWhoseLoadsAreUnusedTraps() throws {
        let wat = """
            (module (memory 1)
              (func (export "constant") (loop (drop (i32.load (i32.const 70000))) (br 0)))
              (func (export "load_then_spin") (result i32) (i32.load (i32.const 70000)) (loop (br 0)))
              (func $spin (param i32 i32)
                (loop
                  (drop (i32.load (local.get 0)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 4)))
                  (br_if 1 (local.get 1))
                  (br 0)))
              (func (export "spin_from") (param i32) (call $spin (local.get 0) (i32.const 0)))
              \(Self.until)
              (func (export "walk") (param i32) (local i32)
                (loop
                  (local.set 1 (i32.add (local.get 1) (i32.load (local.get 0))))
                  (local.set 0 (i32.add (local.get 0) (i32.const 4)))
                  (br 0)))
              (func (export "walk_and_store") (param i32) (local i32)
                (loop
                  (i32.store (i32.const 0) (local.get 1))
                  (drop (i64.load (local.get 0)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 8)))
                  (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                  (br 0))))
            """
        let calls: [(String, [Value])] = [
            ("constant", []), ("load_then_spin", []), ("spin_from", [.i32(0)]), ("until", [.i32(0), .i32(0)]), ("walk", [.i32(0)]),
            ("walk_and_store", [.i32(0)]),
        ]
        for level in levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            for (name, args) in calls {
                let outcome = try XCTUnwrap(callWithDeadline(instance, name, args, seconds: 20), "\(name) at -O\(level) still running")
                XCTAssertEqual(outcome, "out of bounds memory access", "\(name) at -O\(level)")
            }
        }
    }

    /// A loop's keeper goes when simplification ends if the loop can still leave then
    /// (LoopWitnessKeeper); should a later pass remove its last way out, its loads could go too,
    /// so the partition is compiled again with that function's keepers held to the end. No pass
    /// after simplification has been seen to remove a loop's way out, so this test settles the
    /// keepers before any pass, and simplification folds these exits: one on a local that is
    /// always zero (`spin_local`), one on a loop-invariant condition that unswitching hoists at
    /// -O3 (`until`). Without the check and the second compile both spin.
    func testALoopLeftWithoutAWayOutAfterItsKeeperWentStillTraps() throws {
        let wat = """
            (module (memory 1)
              (func (export "spin_local") (param i32) (local i32)
                (loop
                  (drop (i32.load (local.get 0)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 4)))
                  (br_if 1 (local.get 1))
                  (br 0)))
              \(Self.until)
              (func (export "leaves") (param i32 i32) (result i32)
                (loop
                  (drop (i32.load (local.get 0)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 4)))
                  (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
                (local.get 0)))
            """
        for level in [2, 3] {
            var compiler = Compiler(options: CompileOptions(optimizationLevel: level))
            compiler.settlesLoopKeepersFirst = true
            let instance = try compileAndLoad(wat, with: compiler).instantiate()
            for (name, args) in [("spin_local", [Value.i32(0)]), ("until", [.i32(0), .i32(0)])] {
                let outcome = try XCTUnwrap(callWithDeadline(instance, name, args, seconds: 20), "\(name) at -O\(level) still running")
                XCTAssertEqual(outcome, "out of bounds memory access", "\(name) at -O\(level)")
            }
            XCTAssertEqual(try instance.call("leaves", [.i32(0), .i32(3)]).first?.asI32, 12, "-O\(level)")
            XCTAssertThrowsError(try instance.call("leaves", [.i32(65532), .i32(2)]), "-O\(level)")
        }
    }

    /// A loop whose only way out is on a loop-invariant condition, which unswitching at -O3 hoists
    /// in front of a copy of the loop that never leaves.
    private static let until = """
        (func (export "until") (param i32 i32)
                        (loop
                          (drop (i32.load8_u (local.get 0)))
                          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                          (br_if 1 (local.get 1))
                          (br 0)))
        """

    /// The call's trap message ("returned" if it returns), or nil if it is still running after
    /// `seconds` (the thread is left spinning: the test has failed).
    private func callWithDeadline(_ instance: Instance, _ name: String, _ args: [Value], seconds: Double) -> String? {
        final class Outcome: @unchecked Sendable { var message: String? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let (instance, args) = (instance, args)
        Thread {
            do {
                _ = try instance.call(name, args)
                outcome.message = "returned"
            } catch {
                outcome.message = (error as? KilnError)?.message ?? "\(error)"
            }
            done.signal()
        }.start()
        return done.wait(timeout: .now() + seconds) == .success ? outcome.message : nil
    }

    /// An atomic read-modify-write that leaves memory as it is and whose result is unused is only
    /// a fence to x86's code generator, which then locks an access to the stack instead: out of
    /// bounds, it did not trap before Kiln 0.5.22 (at -O2 and -O3; `or 0` at every level). The
    /// operand of `xor_folded` is zero only once its constants are folded.
    func testAnAtomicReadModifyWriteThatChangesNothingTraps() throws {
        let wat = """
            (module (memory 1 1)
              (func (export "or_zero") (param i32) (drop (i32.atomic.rmw.or (local.get 0) (i32.const 0))))
              (func (export "add_zero") (param i32) (drop (i64.atomic.rmw.add (local.get 0) (i64.const 0))))
              (func (export "and_ones") (param i32) (drop (i32.atomic.rmw8.and_u (local.get 0) (i32.const 255))))
              (func (export "xor_folded") (param i32)
                (drop (i32.atomic.rmw16.xor_u (local.get 0) (i32.trunc_sat_f64_u (f64.const 0x1p-1039))))))
            """
        for level in levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            for name in ["or_zero", "add_zero", "and_ones", "xor_folded"] {
                XCTAssertThrowsError(try instance.call(name, [.i32(65536)]), "\(name) at -O\(level)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "\(name) at -O\(level)")
                }
                XCTAssertNoThrow(try instance.call(name, [.i32(65528)]), "\(name) at -O\(level)")
            }
        }
    }

    func testAStoreBeforeATrappingLoadHappens() throws {
        let wat = """
            (module (memory 1)
              (func (export "store_then_load") (param i32) (result i32)
                (i32.store (i32.const 16) (i32.const 42))
                (i32.load (local.get 0)))
              (func (export "peek") (result i32) (i32.load (i32.const 16))))
            """
        for level in levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            XCTAssertThrowsError(try instance.call("store_then_load", [.i32(70000)])) { error in
                XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "-O\(level)")
            }
            XCTAssertEqual(try instance.call("peek").first?.asI32, 42, "-O\(level)")
        }
    }

    /// A trapping access stays in program order against the stores around it at every level:
    /// the README's first known deviation until Kiln 0.5.21, where LLVM could tell the addresses
    /// apart (trap_ordering_alias_analysis.cpp). Each call traps; every store before its trap
    /// must be made and none after it. The words checked start as 0xFFFFFFFF, so a zero shows.
    func testStoresAroundATrappingAccessStayInProgramOrder() throws {
        let ones = String(repeating: "\\ff", count: 16)
        let wat = """
            (module (memory 1)
              (data (i32.const 0) "\(ones)") (data (i32.const 65520) "\(ones)")
              (data (i32.const 992) "\(ones)\(ones)")
              ;; LICM would hoist the load above the loop's store (and the code generator the load
              ;; above the store within the body).
              (func (export "store_in_a_loop") (result i32) (local $i i32)
                (loop
                  (i32.store (i32.const 0) (i32.add (local.get $i) (i32.const 5)))
                  (local.set $i (i32.add (local.get $i) (i32.load (i32.const 70000))))
                  (br_if 0 (i32.lt_u (local.get $i) (i32.const 100))))
                (local.get $i))
              ;; Dead-store elimination across a load, and across a store, that trap.
              (func (export "overwritten_across_a_load")
                (i32.store (i32.const 4) (i32.const 7))
                (drop (i32.load (i32.const 70000)))
                (i32.store (i32.const 4) (i32.const 9)))
              (func (export "overwritten_across_a_store")
                (i32.store (i32.const 8) (i32.const 7))
                (i32.store (i32.const 70000) (i32.const 1))
                (i32.store (i32.const 8) (i32.const 9)))
              ;; Neighbouring stores that a memset or a vector store would merge: at 65520 the
              ;; first four are in bounds and the fifth is not.
              (func (export "zeroed_run") (param $p i32)
                (i32.store offset=0 (local.get $p) (i32.const 0))
                (i32.store offset=4 (local.get $p) (i32.const 0))
                (i32.store offset=8 (local.get $p) (i32.const 0))
                (i32.store offset=12 (local.get $p) (i32.const 0))
                (i32.store offset=16 (local.get $p) (i32.const 0))
                (i32.store offset=20 (local.get $p) (i32.const 0))
                (i32.store offset=24 (local.get $p) (i32.const 0))
                (i32.store offset=28 (local.get $p) (i32.const 0)))
              (func (export "computed_run") (param $p i32)
                (i32.store offset=0 (local.get $p) (i32.mul (local.get $p) (i32.const 3)))
                (i32.store offset=4 (local.get $p) (i32.mul (local.get $p) (i32.const 5)))
                (i32.store offset=8 (local.get $p) (i32.mul (local.get $p) (i32.const 7)))
                (i32.store offset=12 (local.get $p) (i32.mul (local.get $p) (i32.const 9))))
              ;; Two pointers walking down, the second from the end of memory: the loop
              ;; vectoriser's copy (checked for overlap, never for bounds) stored four words
              ;; through the first before the second's store trapped.
              (func (export "two_pointers_down") (param $a i32) (param $b i32) (param $n i32)
                (loop
                  (local.set $a (i32.sub (local.get $a) (i32.const 4)))
                  (local.set $b (i32.sub (local.get $b) (i32.const 4)))
                  (i32.store (local.get $a) (local.get $n))
                  (i32.store (local.get $b) (local.get $n))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if 0 (local.get $n))))
              ;; A loop whose store and load only scalar evolution shows to be neighbours: the code
              ;; generator's loop strength reduction gave both one base register (offsets 65528
              ;; and 66497), and SelectionDAG then moved the trapping load above the store and
              ;; dropped the store as overwritten (the loop kernels' seed 21000790, Kiln 0.5.46).
              (func (export "store_load_store_walking_up") (local $i i32) (local $acc i32)
                (local.set $i (i32.const -4096))
                (local.set $acc (i32.const 5))
                (loop
                  (i64.store (i32.add (i32.const 65528) (local.get $i)) (i64.extend_i32_u (local.get $acc)))
                  (local.set $acc (i32.add (local.get $acc)
                    (i32.load8_u offset=1024 (i32.add (i32.const 65473) (local.get $i)))))
                  (i64.store (i32.add (i32.const 65528) (local.get $i)) (i64.extend_i32_u (local.get $acc)))
                  (br_if 0 (local.tee $i (i32.add (local.get $i) (i32.const 8))))))
              ;; A store that a wider one after it overwrites, which SelectionDAG deleted as dead
              ;; where the wider one traps (the loop kernels' seed 29000438, Kiln 0.5.48): once in
              ;; straight-line code, once walking up to the end of memory.
              (func (export "overwritten_by_a_wider_store") (param $p i32)
                (i32.store offset=3 (local.get $p) (i32.const 7))
                (i64.store (local.get $p) (i64.const 9)))
              (func (export "narrow_then_wide_walking_up") (local $i i32)
                (local.set $i (i32.const -200))
                (loop
                  (i32.store offset=64 (i32.add (i32.add (i32.const 65528) (local.get $i)) (i32.const 3)) (i32.const 7))
                  (i64.store offset=64 (i32.add (i32.const 65528) (local.get $i)) (i64.const 9))
                  (br_if 0 (local.tee $i (i32.add (local.get $i) (i32.const 1))))))
              (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))
            """
        let calls: [(name: String, args: [Value], expected: [(address: Int32, value: Int32)])] = [
            ("store_in_a_loop", [], [(0, 5)]),
            ("overwritten_across_a_load", [], [(4, 7)]),
            ("overwritten_across_a_store", [], [(8, 7)]),
            ("zeroed_run", [.i32(65520)], [(65520, 0), (65524, 0), (65528, 0), (65532, 0)]),
            ("computed_run", [.i32(65528)], [(65528, 65528 &* 3), (65532, 65528 &* 5)]),
            ("two_pointers_down", [.i32(1024), .i32(65536 + 16), .i32(64)], [(1020, 64), (1016, -1)]),
            // The loads at 65521 and 65529 read ones (5 + 255 + 255); the one at i = -960 traps,
            // after the store at 65528 - 960.
            ("store_load_store_walking_up", [], [(64560, 515), (64568, 515), (64576, 0)]),
            // The i64 store at 65529 traps after the i32 store at 65532.
            ("overwritten_by_a_wider_store", [.i32(65529)], [(65532, 7)]),
            // At i = -63 likewise, after the i64 store of i = -64 at 65528.
            ("narrow_then_wide_walking_up", [], [(65528, 9), (65532, 7)]),
        ]
        for level in levels {
            let module = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
            for call in calls {
                let instance = try module.instantiate()
                XCTAssertThrowsError(try instance.call(call.name, call.args)) { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "\(call.name) at -O\(level)")
                }
                for (address, value) in call.expected {
                    XCTAssertEqual(try instance.call("peek", [.i32(address)]).first?.asI32, value,
                                   "\(call.name) at -O\(level): the word at \(address)")
                }
            }
        }
    }

    /// Makes each call at each level and expects it to trap "out of bounds memory access".
    private func assertEveryCallTraps(_ wat: String, calls: [(String, [Value])]) throws {
        for level in levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            for (name, args) in calls {
                XCTAssertThrowsError(try instance.call(name, args)) { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "\(name) at -O\(level)")
                }
            }
        }
    }
}
