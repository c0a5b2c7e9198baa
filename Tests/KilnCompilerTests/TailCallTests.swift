import Kiln
import KilnCompiler
import XCTest

/// return_call and return_call_indirect run in constant native stack (DESIGN.md, decision 11),
/// at every optimisation level, while ordinary calls still exhaust the stack and trap.
final class TailCallTests: XCTestCase {
    static let levels = [0, 2]
    /// Far more frames than the native stack holds (a few MB at tens of bytes each).
    static let depth: Int64 = 10_000_000

    /// `ping` and `pong` call each other until n reaches 0, directly or through a table, adding
    /// 3 and subtracting 1 in turn, so the result counts the steps: n + n/2 * 3 - n/2 * 1 - n.
    static let mutualRecursion = """
        (module
          (type $step (func (param i64 i64) (result i64)))
          (table 2 funcref)
          (elem (i32.const 0) $pingIndirect $pongIndirect)
          (func $ping (export "ping") (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n))
              (then (local.get $acc))
              (else (return_call $pong (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 3))))))
          (func $pong (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n))
              (then (local.get $acc))
              (else (return_call $ping (i64.sub (local.get $n) (i64.const 1)) (i64.sub (local.get $acc) (i64.const 1))))))
          (func $pingIndirect (export "ping_indirect") (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n))
              (then (local.get $acc))
              (else (return_call_indirect (type $step)
                (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 3)) (i32.const 1)))))
          (func $pongIndirect (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n))
              (then (local.get $acc))
              (else (return_call_indirect (type $step)
                (i64.sub (local.get $n) (i64.const 1)) (i64.sub (local.get $acc) (i64.const 1)) (i32.const 0)))))
          ;; The same recursion through ordinary calls must run out of stack.
          (func $deep (export "deep") (param $n i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n))
              (then (i64.const 0))
              (else (i64.add (i64.const 1) (call $deep (i64.sub (local.get $n) (i64.const 1))))))))
        """

    func testTenMillionMutualTailCallsRunInConstantStack() throws {
        for level in Self.levels {
            let instance = try compileAndLoad(Self.mutualRecursion, options: CompileOptions(optimizationLevel: level)).instantiate()
            for export in ["ping", "ping_indirect"] {
                let result = try instance.call(export, [.i64(Self.depth), .i64(0)])
                XCTAssertEqual(result.first?.asI64, Self.depth, "\(export) at -O\(level)")
            }
            XCTAssertThrowsError(try instance.call("deep", [.i64(Self.depth)]), "-O\(level)") { error in
                XCTAssertEqual((error as? KilnError)?.message, "call stack exhausted")
            }
        }
    }

    /// A callee with more stack arguments than its caller (tailcc passes six integers in
    /// registers): the caller's frame must still be reused, which needs callee-popped arguments.
    /// Each round trip narrow -> wide -> narrow adds 1 + 2 + ... + 10 = 55.
    func testTailCallsToCalleesWithMoreStackArgumentsRunInConstantStack() throws {
        let extras = (1...10).map { "(i64.const \($0))" }.joined(separator: " ")
        let sum = (2..<12).reduce("(local.get 1)") { "(i64.add \($0) (local.get \($1)))" }
        let wat = """
            (module
              (func $narrow (export "narrow") (param $n i64) (param $acc i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n))
                  (then (local.get $acc))
                  (else (return_call $wide (i64.sub (local.get $n) (i64.const 1)) (local.get $acc) \(extras)))))
              (func $wide (param \((0..<12).map { _ in "i64" }.joined(separator: " "))) (result i64)
                (return_call $narrow (local.get 0) \(sum))))
            """
        for level in Self.levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            let result = try instance.call("narrow", [.i64(Self.depth), .i64(0)])
            XCTAssertEqual(result.first?.asI64, 55 * Self.depth, "-O\(level)")
        }
    }

    /// A function that an ordinary call reaches and that tail-calls its caller: every round trip
    /// keeps one frame, so the recursion must exhaust the stack even after inlining.
    func testAnOrdinaryCallInTheCycleStillExhaustsTheStack() throws {
        let wat = """
            (module
              (func $f (export "f") (param $n i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n))
                  (then (i64.const 0))
                  (else (call $g (i64.sub (local.get $n) (i64.const 1))))))
              (func $g (param $n i64) (result i64)
                (return_call $f (local.get $n))))
            """
        for level in Self.levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            XCTAssertEqual(try instance.call("f", [.i64(1000)]).first?.asI64, 0, "-O\(level)")
            XCTAssertThrowsError(try instance.call("f", [.i64(Self.depth)]), "-O\(level)") { error in
                XCTAssertEqual((error as? KilnError)?.message, "call stack exhausted")
            }
        }
    }

    /// More results than return registers go through a results area (WasmCallingConvention),
    /// which a tail call hands on: mutual tail calls with five results, directly and through a
    /// table, into a host function, and the same functions called ordinarily and from the host.
    /// `even` counts n down adding 2, `odd` subtracts 1 and passes n back: the sum ends at n.
    func testTailCallsWithMoreResultsThanReturnRegisters() throws {
        let imports = Imports()
        try imports.define("env", "spread", parameters: [.i64], results: [.i64, .f64, .i32]) { _, args in
            let n = args[0].asI64 ?? 0
            return [.i64(n), .f64(Double(n) / 2), .i32(Int32(truncatingIfNeeded: n) &* 3)]
        }
        let five = "(result i64 i32 f64 f32 i64)"
        let wat = """
            (module
              (import "env" "spread" (func $spread (param i64) (result i64 f64 i32)))
              (type $five (func (param i64 i64) \(five)))
              (type $spread (func (param i64) (result i64 f64 i32)))
              (table 3 funcref)
              (elem (i32.const 0) $even $odd $spread)
              (func $even (export "even") (param $n i64) (param $acc i64) \(five)
                (if \(five) (i64.eqz (local.get $n))
                  (then (local.get $acc) (i32.const 1) (f64.const 2.5) (f32.const -1) (i64.const 7))
                  (else (return_call $odd (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 2))))))
              (func $odd (param $n i64) (param $acc i64) \(five)
                (return_call_indirect (type $five) (local.get $n) (i64.sub (local.get $acc) (i64.const 1)) (i32.const 0)))
              (func (export "ordinary") (param i64) (result i64)
                (call $even (local.get 0) (i64.const 0)) (drop) (drop) (drop) (drop))
              (func (export "host") (param i64) (result i64 f64 i32) (return_call $spread (local.get 0)))
              (func (export "host_indirect") (param i64) (result i64 f64 i32)
                (return_call_indirect (type $spread) (local.get 0) (i32.const 2))))
            """
        for level in Self.levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate(imports: imports)
            let results = try instance.call("even", [.i64(Self.depth), .i64(0)])
            XCTAssertEqual(results, [.i64(Self.depth), .i32(1), .f64(2.5), .f32(-1), .i64(7)], "-O\(level)")
            XCTAssertEqual(try instance.call("ordinary", [.i64(10)]).first?.asI64, 10, "-O\(level)")
            for export in ["host", "host_indirect"] {
                XCTAssertEqual(try instance.call(export, [.i64(8)]), [.i64(8), .f64(4), .i32(24)], "\(export) at -O\(level)")
            }
        }
    }

    func testTailCallsToImportsMultipleResultsAndTheIndirectChecks() throws {
        let imports = Imports()
        try imports.define("env", "double", parameters: [.i32], results: [.i32]) { _, args in
            [.i32((args[0].asI32 ?? 0) * 2)]
        }
        let wat = """
            (module
              (import "env" "double" (func $double (param i32) (result i32)))
              (type $unary (func (param i32) (result i32)))
              (type $nullary (func (result i32)))
              (table 2 funcref)
              (elem (i32.const 0) $double)
              (func (export "host") (param i32) (result i32) (return_call $double (local.get 0)))
              (func $swap (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
              (func (export "swap") (param i32 i64) (result i64 i32) (return_call $swap (local.get 0) (local.get 1)))
              (func (export "indirect") (param i32 i32) (result i32)
                (return_call_indirect (type $unary) (local.get 0) (local.get 1)))
              (func (export "mismatch") (result i32) (return_call_indirect (type $nullary) (i32.const 0))))
            """
        for level in Self.levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate(imports: imports)
            XCTAssertEqual(try instance.call("host", [.i32(21)]).first?.asI32, 42)
            let swapped = try instance.call("swap", [.i32(7), .i64(-8)])
            XCTAssertEqual(swapped.first?.asI64, -8)
            XCTAssertEqual(swapped.last?.asI32, 7)
            XCTAssertEqual(try instance.call("indirect", [.i32(5), .i32(0)]).first?.asI32, 10)
            for (element, message) in [(1, "uninitialized element"), (2, "undefined element")] {
                XCTAssertThrowsError(try instance.call("indirect", [.i32(5), .i32(Int32(element))])) { error in
                    XCTAssertEqual((error as? KilnError)?.message, message, "-O\(level)")
                }
            }
            XCTAssertThrowsError(try instance.call("mismatch")) { error in
                XCTAssertEqual((error as? KilnError)?.message, "indirect call type mismatch", "-O\(level)")
            }
        }
    }
}
